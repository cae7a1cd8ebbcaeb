import KamwatchRules
import KamwatchVocabulary
import Testing

@Suite("Rule keys for: and keep_firing_for:")
struct RuleTimingTests {
    static func rule(_ extra: String) -> String {
        """
        version: 1
        id: one-contact
        title: One contact
        let:
          n: count(contacts where active_on(at))
        severity:
          warning: n == 1
        message: "{n}"
        \(extra)
        """
    }

    @Test("for: and keep_firing_for: are whole days")
    func parsed() throws {
        let rule = try RuleSet.compile(file: "r.yaml", text: Self.rule("for: 3d\nkeep_firing_for: 1d")).get()
        #expect(rule.timing == RuleTiming(forDays: 3, keepFiringDays: 1))
        #expect(try RuleSet.compile(file: "r.yaml", text: Self.rule("")).get().timing == .immediate)
    }

    @Test("anything but Nd is an error at its line and column", arguments: ["3", "2h", "-1d", "d", "x"])
    func rejected(_ value: String) {
        guard case .failure(let errors) = RuleSet.compile(file: "r.yaml", text: Self.rule("for: \(value)")) else {
            Issue.record("accepted for: \(value)")
            return
        }
        let caret = "^" + String(repeating: "~", count: value.count - 1)
        #expect(
            errors.description
                == "r.yaml:9:6: for is a whole number of days, e.g. 2d (or 0d)\nfor: \(value)\n     \(caret)")
    }
}
