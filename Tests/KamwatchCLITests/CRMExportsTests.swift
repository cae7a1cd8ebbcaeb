import Foundation
import Testing

/// Every example of `../shared/crm-exports/` read through its sources file gives exactly its
/// expected alerts (rule, account, severity), and `sources suggest` names its preset.
@Suite struct CRMExportsTests {
    static let crms = ["bitrix24", "amocrm", "salesforce", "hubspot", "1c"]
    static let exports = CLIRunner.root.deletingLastPathComponent().appendingPathComponent("shared/crm-exports")
    static let defaultRules = [
        "single-contact", "discount-creep", "cost-over-margin", "contact-turnover", "merger-exposure",
    ]

    /// The examples' directory; missing fails under CI (where shared/ is checked out beside the tree).
    static func exportsPresent() -> Bool {
        if FileManager.default.fileExists(atPath: exports.path) { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("\(exports.path) is missing: CI must check out shared/ beside the tree")
        }
        return false
    }

    typealias Alert = Set<[String]>

    static func alerts(_ jsonLines: String) throws -> Alert {
        var out = Alert()
        for line in jsonLines.split(separator: "\n") where !line.isEmpty {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            out.insert(["rule", "account_id", "severity"].map { object[$0] as? String ?? "" })
        }
        return out
    }

    @Test(arguments: crms) func reproducesExpectedAlerts(crm: String) throws {
        guard Self.exportsPresent() else { return }
        let rules = FileManager.default.temporaryDirectory.appendingPathComponent("kw-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: rules) }
        for rule in Self.defaultRules {
            try FileManager.default.copyItem(
                at: CLIRunner.root.appendingPathComponent("rules/\(rule).yaml"),
                to: rules.appendingPathComponent("\(rule).yaml"))
        }
        let dir = Self.exports.appendingPathComponent(crm)
        let result = try CLIRunner.run([
            "check", "--data", dir.appendingPathComponent("export").path, "--sources",
            dir.appendingPathComponent("sources.yaml").path, "--rules", rules.path, "--at", "2025-06-30",
            "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try Self.alerts(
            String(contentsOf: dir.appendingPathComponent("expected.jsonl"), encoding: .utf8))
        let got = try Self.alerts(result.stdout)
        #expect(expected.subtracting(got).sorted { $0.lexicographicallyPrecedes($1) } == [], "missing")
        #expect(got.subtracting(expected).sorted { $0.lexicographicallyPrecedes($1) } == [], "unexpected")
    }

    @Test(arguments: crms) func suggestNamesThePreset(crm: String) throws {
        guard Self.exportsPresent() else { return }
        let result = try CLIRunner.run([
            "sources", "suggest", Self.exports.appendingPathComponent("\(crm)/export").path,
        ])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\nextends: \(crm)\n"))
    }

    @Test func invalidSourcesFileExitsTwo() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kw-bad-\(UUID().uuidString).yaml")
        try "version: 1\nextends: nosuch\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try CLIRunner.run(["check", "--data", "examples/data", "--sources", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file.path):2:10: unknown preset \"nosuch\""))
    }
}
