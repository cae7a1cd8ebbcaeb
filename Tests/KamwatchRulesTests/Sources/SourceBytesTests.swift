import KamwatchRules
import KamwatchVocabulary
import Testing

@testable import KamwatchData

/// Text expressions written as bytes give exactly the text their `String` evaluation gives.
@Suite struct SourceBytesTests {
    static let expressions = [
        #"trim(coalesce(`A`, "") + " " + coalesce(`B`, ""))"#,
        #"coalesce(`A`, `B`)"#,
        #"`A` + "-" + `B`"#,
        #"trim(`A`)"#,
        #"coalesce(`A`, "none")"#,
    ]

    static let cells = [
        "", " ", "\t", "Иван", " Иван ", "Ёлка\r\n", "\u{A0}Иван", "Иван\u{A0}", "e\u{301}", " \u{301}", "\u{301} x",
        "Smith", "a\u{2003}", "\u{3000}b", "ООО «Гранд»", "x ", "  ", "\r\n",
    ]

    func function(_ expression: String) throws -> (SourceFunction, [HeaderRequest]) {
        let text = """
            version: 1
            tables:
              contacts:
                files: ["c.csv"]
                columns:
                  contact_id: ID
                  account_id: Company
                  name: {expr: '\(expression)'}
            """
        let plan = try SourcesFile.parse(file: "s.yaml", text: text, presets: nil)
        let block = try #require(plan.tables[.contacts])
        let column = try #require(block.columns["name"])
        guard case .computed(let function) = column.value else {
            Issue.record("name is not computed")
            throw CancellationError()
        }
        return (function, block.headers)
    }

    @Test("each text expression written as bytes is its String value, or leaves the row to it")
    func bytesAsStrings() throws {
        for expression in SourceBytesTests.expressions {
            let (function, headers) = try function(expression)
            let write = try #require(function.bytes, "\(expression) is written as bytes")
            let a = headers.firstIndex { $0.names == ["A"] }
            let b = headers.firstIndex { $0.names == ["B"] }
            var plain = 0
            for x in SourceBytesTests.cells {
                for y in SourceBytesTests.cells {
                    var values = Array(repeating: "", count: headers.count)
                    if let a { values[a] = x }
                    if let b { values[b] = y }
                    let bytes = values.map { Array($0.utf8) }
                    let pointers = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: bytes.count)
                    let lengths = UnsafeMutablePointer<Int>.allocate(capacity: bytes.count)
                    let storage = bytes.map { b -> UnsafeMutablePointer<UInt8> in
                        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(b.count, 1))
                        p.initialize(from: b, count: b.count)
                        return p
                    }
                    defer {
                        storage.forEach { $0.deallocate() }
                        pointers.deallocate()
                        lengths.deallocate()
                    }
                    for k in bytes.indices {
                        pointers[k] = UnsafePointer(storage[k])
                        lengths[k] = bytes[k].count
                    }
                    let row = SourceRow(
                        cellPtr: UnsafePointer(pointers), cellLen: UnsafePointer(lengths), decimalComma: false,
                        dates: .auto)
                    let expected = try function.body(row)
                    let scratch = TextScratch(capacity: 4)
                    scratch.append([UInt8(ascii: "#")], 1)
                    switch write(row, scratch) {
                    case .unsure:
                        continue
                    case .null:
                        #expect(expected == .null, "\(expression) of \(x.debugDescription), \(y.debugDescription)")
                        #expect(scratch.count == 1)
                    case .text:
                        let got = String(
                            decoding: UnsafeBufferPointer(start: scratch.base + 1, count: scratch.count - 1),
                            as: UTF8.self)
                        #expect(expected == .text(got), "\(expression) of \(x.debugDescription), \(y.debugDescription)")
                        #expect(
                            Array(got.utf8)
                                == Array(UnsafeBufferPointer(start: scratch.base + 1, count: scratch.count - 1)))
                    }
                    plain += 1
                }
            }
            // Most of these rows need no String.
            #expect(plain > SourceBytesTests.cells.count * SourceBytesTests.cells.count / 2, "\(expression)")
        }
    }

    @Test("trimming by bytes leaves Unicode white space and combining marks at an edge to String")
    func trimEdges() {
        func trimmed(_ text: String) -> String? {
            let scratch = TextScratch(capacity: 2)
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { if let p = $0.baseAddress { scratch.append(p, $0.count) } }
            guard scratch.trimSpaces(from: 0) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: scratch.base, count: scratch.count), as: UTF8.self)
        }
        #expect(trimmed(" \tИван Петров\r\n") == "Иван Петров")
        #expect(trimmed("  ") == "")
        #expect(trimmed("Smith") == "Smith")
        #expect(trimmed("\u{A0}Иван") == nil)
        #expect(trimmed("Иван \u{301}") == nil)
        #expect(trimmed("ab\u{2003}") == nil)
    }
}
