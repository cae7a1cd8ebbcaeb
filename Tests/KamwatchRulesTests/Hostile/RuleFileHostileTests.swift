import Foundation
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

/// Rule files that are not what they seem: each is refused at the place that is wrong.
@Suite struct RuleFileHostileTests {
    static let rule = "version: 1\nid: probe\ntitle: Probe\nseverity: warning\nmessage: x\n"

    /// A scratch rules directory with `files` (name → bytes), removed by the caller's `defer`.
    private func directory(_ files: [String: [UInt8]]) throws -> String {
        let dir = NSTemporaryDirectory() + "kamwatch-hostile-rules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        return dir
    }

    private func firstError(_ bytes: [UInt8]) throws -> String {
        let dir = try directory(["r.yaml": bytes])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard case .failure(let e) = RuleSet.loadFile(dir + "/r.yaml") else { return "loaded" }
        let first = try #require(e.errors.first)
        return "\(first.location.line):\(first.location.column): \(first.message)"
    }

    @Test func aNULByteIsReportedWhereItIs() throws {
        let bytes = Array("version: 1\nid: probe\ntitle: Pro".utf8) + [0] + Array("be\nseverity: warning\n".utf8)
        #expect(try firstError(bytes) == "3:11: a NUL byte (U+0000) is not allowed in a rule file")
    }

    @Test func anotherControlCharacterIsReportedWhereItIs() throws {
        let bytes = Array("version: 1\nid: probe\n  \u{1B}[31m".utf8)
        #expect(try firstError(bytes) == "3:3: the control character U+001B is not allowed in a rule file")
    }

    @Test func invalidUTF8IsReportedWhereItIs() throws {
        let bytes = Array("version: 1\nid: probe\ntitle: Prübe".utf8) + [0xFF, 0xFE] + Array("\n".utf8)
        #expect(try firstError(bytes) == "3:13: not UTF-8 text: an invalid byte")
    }

    @Test func aDuplicateIdIsReportedAtTheIdOfTheSecondFile() throws {
        let second = "# the same rule again\nversion: 1\ntitle: Again\nid:   probe\nseverity: warning\nmessage: x\n"
        let dir = try directory(["a.yaml": Array(Self.rule.utf8), "b.yaml": Array(second.utf8)])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect {
            try RuleSet.load(directory: dir)
        } throws: { error in
            (error as? RuleErrors)?.description == """
                \(dir)/b.yaml:4:7: duplicate rule id "probe" (also in \(dir)/a.yaml)
                id:   probe
                      ^~~~~
                """
        }
    }

    @Test func deeplyNestedYAMLIsRefusedNotACrash() throws {
        let deep = Self.rule + "advice: " + String(repeating: "[", count: 100_000) + "\n"
        let error = try firstError(Array(deep.utf8))
        #expect(error.hasPrefix("6:"))
        #expect(error.contains("invalid YAML"))
    }

    @Test func anAliasBombIsRefused() throws {
        var text = Self.rule + "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1..<12 {
            text += "x\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let error = try firstError(Array(text.utf8))
        #expect(error.contains("unknown key \"x0\""))
    }

    @Test func aDeepMessageTemplateIsFlat() throws {
        let text = Self.rule.replacingOccurrences(
            of: "message: x", with: "message: \"" + String(repeating: "{{", count: 100_000) + "\"")
        let dir = try directory(["r.yaml": Array(text.utf8)])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: Never.self) { try RuleSet.loadFile(dir + "/r.yaml").get() }
    }
}

@Suite struct RuleErrorLongLineTests {
    @Test func aLongSourceLineIsShownAroundTheColumn() {
        let line = String(repeating: "a", count: 1000) + "X" + String(repeating: "b", count: 1000)
        let e = RuleError(
            location: RuleLocation(file: "r.yaml", line: 4, column: 1001), message: "here", sourceLine: line, length: 1)
        let shown = "…" + String(repeating: "a", count: 60) + "X" + String(repeating: "b", count: 59) + "…"
        #expect(e.description == "r.yaml:4:1001: here\n\(shown)\n" + String(repeating: " ", count: 61) + "^")
    }

    @Test func controlCharactersInTheSourceLineAreShownVisibly() {
        let e = RuleError(
            location: RuleLocation(file: "r.yaml", line: 3, column: 11), message: "NUL", sourceLine: "title: Pro\u{0}be"
        )
        #expect(e.description == "r.yaml:3:11: NUL\ntitle: Pro\u{2400}be\n          ^")
    }
}
