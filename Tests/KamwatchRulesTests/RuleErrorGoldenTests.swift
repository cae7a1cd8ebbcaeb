import Foundation
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

/// Rule files with mistakes, and the exact error text kamwatch prints for them.
@Suite struct RuleErrorGoldenTests {
    static let names = [
        "bad-yaml", "evidence-style", "misc", "multiline", "type-errors", "unknown-column", "unknown-key",
    ]

    private func fixture(_ name: String, _ ext: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/bad-rules/\(name)", withExtension: ext))
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test(arguments: names)
    func golden(name: String) throws {
        let text = try fixture(name, "yaml")
        let result = RuleSet.compile(file: "bad-rules/\(name).yaml", text: text)
        guard case .failure(let errors) = result else {
            Issue.record("\(name).yaml compiled without errors")
            return
        }
        let actual = errors.description + "\n"
        if ProcessInfo.processInfo.environment["KAMWATCH_REGENERATE_GOLDEN"] != nil {
            let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "Fixtures/bad-rules")
            try actual.write(to: dir.appendingPathComponent("\(name).expected"), atomically: true, encoding: .utf8)
        }
        #expect(actual == (try fixture(name, "expected")))
    }
}
