import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

/// Deep and long expressions: an error at the place the limit is crossed, or a value — never a
/// stack overflow in the parser, the compiler or the evaluator.
@Suite struct ExpressionLimitTests {
    /// The errors of a probe rule whose definition `v` is `expression`, as `line:column: message`.
    private func errors(_ expression: String) -> String? {
        let text = "version: 1\nid: probe\ntitle: Probe\nlet:\n  v: \(expression)\nseverity: warning\nmessage: x\n"
        guard case .failure(let errors) = RuleSet.compile(file: "p.yaml", text: text) else { return nil }
        return errors.errors.map { "\($0.location.line):\($0.location.column): \($0.message)" }.joined(separator: "\n")
    }

    private static let book: Book = {
        var b = TestBook()
        b.account("A")
        return b.build()
    }()

    private func repeated(_ s: String, _ n: Int) -> String { String(repeating: s, count: n) }

    @Test func nestedCallsStopAtTheLimit() {
        let e = repeated("if(true, ", 5_000) + "1" + repeated(", 2)", 5_000)
        #expect(errors(e) == "5:900: nesting deeper than 100")
    }

    @Test(arguments: ["(", "-", "not "])
    func deepPrefixesStopAtTheLimit(prefix: String) {
        let e = repeated(prefix, 5_000) + "1" + (prefix == "(" ? repeated(")", 5_000) : "")
        // At the token that crosses the limit.
        let column = ["(": 106, "-": 105, "not ": 402][prefix]!
        #expect(errors(e) == "5:\(column): nesting deeper than 100")
    }

    @Test func nestingUpToTheLimitCompiles() throws {
        let e = repeated("(", 99) + "7" + repeated(")", 99)
        #expect(try value(e, Self.book) == .number(7))
        #expect(try value(repeated("- ", 98) + "7", Self.book) == .number(7))
    }

    @Test func aLongSumIsBalancedNotDeep() throws {
        let e = "1" + repeated(" + 1", 4_999)
        #expect(try value(e, Self.book) == .number(5_000))
        #expect(try value("10000" + repeated(" - 1", 4_999), Self.book) == .number(5_001))
        #expect(try value("1" + repeated(" * 1", 4_999), Self.book) == .number(1))
        #expect(try value("true" + repeated(" and true", 4_999) + " and false", Self.book) == .bool(false))
    }

    @Test func aShortChainKeepsItsLeftToRightOrder() throws {
        #expect(try value("10 - 2 - 3 + 1", Self.book) == .number(6))
        #expect(try value("at - 10d - 5d + 1d - at", Self.book) == .number(-14))
        #expect(try value("100 / 2 / 5 * 3", Self.book) == .number(30))
    }

    @Test func aLongAlternatingChainIsRefusedAtTheLimit() {
        let e = "1" + repeated(" + 1 - 1", 2_000)
        #expect(errors(e) == "5:6: nesting deeper than 100")
    }

    @Test func aLongListIsEvaluatedWithoutRecursion() throws {
        let items = (1...10_000).map(String.init).joined(separator: ", ")
        #expect(try value("9999 in [\(items)]", Self.book) == .bool(true))
        #expect(try value("0 not in [\(items)]", Self.book) == .bool(true))
        let days = repeated("at - 1d, ", 5_000) + "at"
        #expect(try value("at in [\(days)]", Self.book) == .bool(true))
        let args = repeated("null, ", 5_000) + "3"
        #expect(try value("coalesce(\(args))", Self.book) == .number(3))
        #expect(try value("max(\(repeated("1, ", 5_000))2)", Self.book) == .number(2))
    }
}
