import Foundation
import Testing

/// The HubSpot example of `../shared/crm-exports/` with company properties of the user's own
/// (`Golden/hubspot-own-columns/`): a rule reads them in `check`, `rules check` knows them with
/// the sources file, `data inspect` shows where they come from, `history record` reads them.
@Suite struct OwnColumnCLITests {
    static let fixture = CLIRunner.goldenDirectory.appendingPathComponent("hubspot-own-columns")
    static let sources = fixture.appendingPathComponent("sources.yaml").path
    static let ownRules = fixture.appendingPathComponent("rules").path
    static let example = CRMExportsTests.exports.appendingPathComponent("hubspot")
    static let export = example.appendingPathComponent("export").path

    /// A fresh directory, removed by the caller.
    static func temporary(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kw-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func theExampleWithOwnColumnsGivesItsAlertsAndTheNewRules() throws {
        guard CRMExportsTests.exportsPresent() else { return }
        let rules = try Self.temporary("rules")
        defer { try? FileManager.default.removeItem(at: rules) }
        for rule in CRMExportsTests.defaultRules {
            try FileManager.default.copyItem(
                at: CLIRunner.root.appendingPathComponent("rules/\(rule).yaml"),
                to: rules.appendingPathComponent("\(rule).yaml"))
        }
        try FileManager.default.copyItem(
            atPath: Self.ownRules + "/large-client-one-contact.yaml",
            toPath: rules.appendingPathComponent("large-client-one-contact.yaml").path)
        let result = try CLIRunner.run([
            "check", "--data", Self.export, "--sources", Self.sources, "--rules", rules.path, "--at", "2025-06-30",
            "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        // The five default rules give the example's alerts unchanged; the new rule its own.
        let expected = try CRMExportsTests.alerts(
            String(contentsOf: Self.example.appendingPathComponent("expected.jsonl"), encoding: .utf8)
                + String(contentsOf: Self.fixture.appendingPathComponent("expected.jsonl"), encoding: .utf8))
        let got = try CRMExportsTests.alerts(result.stdout)
        #expect(expected.subtracting(got).sorted { $0.lexicographicallyPrecedes($1) } == [], "missing")
        #expect(got.subtracting(expected).sorted { $0.lexicographicallyPrecedes($1) } == [], "unexpected")
        #expect(result.stdout.contains(#""employees":"#))
    }

    @Test func rulesCheckKnowsTheColumnsWithTheSourcesFile() throws {
        let without = try CLIRunner.run(["rules", "check", Self.ownRules])
        #expect(without.status == 2)
        #expect(
            without.stderr.contains(
                "large-client-one-contact.yaml:5:49: unknown account attribute \"country\""), "\(without.stderr)")
        let with = try CLIRunner.run(["rules", "check", Self.ownRules, "--sources", Self.sources])
        #expect(with.status == 0, "\(with.stderr)")
        #expect(with.stdout.hasSuffix("1 rule file checked: 1 OK, 0 with errors\n"))

        let dir = try Self.temporary("config")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("kamwatch.yaml")
        try "sources: \(Self.sources)\n".write(to: config, atomically: true, encoding: .utf8)
        let viaConfig = try CLIRunner.run(["rules", "check", Self.ownRules, "--config", config.path])
        #expect(viaConfig.status == 0, "\(viaConfig.stderr)")

        let misspelt = dir.appendingPathComponent("misspelt.yaml")
        let text = try String(contentsOfFile: Self.ownRules + "/large-client-one-contact.yaml", encoding: .utf8)
        try text.replacingOccurrences(of: "account.employees", with: "account.employes")
            .write(to: misspelt, atomically: true, encoding: .utf8)
        let bad = try CLIRunner.run(["rules", "check", misspelt.path, "--sources", Self.sources])
        #expect(bad.status == 2)
        #expect(
            bad.stderr.contains(
                "misspelt.yaml:8:18: unknown account attribute \"employes\" (did you mean \"employees\"?)"),
            "\(bad.stderr)")
    }

    @Test func explainReadsThroughTheSourcesFile() throws {
        guard CRMExportsTests.exportsPresent() else { return }
        let state = try Self.temporary("explain-state")
        defer { try? FileManager.default.removeItem(at: state) }
        let args = [
            "explain", "18000046509", "--data", Self.export, "--rules", Self.ownRules, "--at", "2025-06-30",
            "--state", state.path, "--format", "json",
        ]
        let result = try CLIRunner.run(args + ["--sources", Self.sources])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""rule":"large-client-one-contact""#), "\(result.stdout)")
        #expect(result.stdout.contains(#""severity":"warning""#), "\(result.stdout)")
        // Without the sources file the export is not the SPEC §1 layout and the rule cannot compile.
        let without = try CLIRunner.run(args)
        #expect(without.status == 2)
    }

    @Test func inspectShowsTheOwnColumns() throws {
        guard CRMExportsTests.exportsPresent() else { return }
        let file = Self.export + "/hubspot-crm-exports-all-companies-2025-07-31.csv"
        let result = try CLIRunner.run(["data", "inspect", file, "--sources", Self.sources])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"Number of Employees\" → employees (your own: number)"), "\(result.stdout)")
        #expect(result.stdout.contains("\"Country/Region\"      → country (your own: text)"))
        #expect(result.stdout.contains("→ client_since (your own: date)"))
        let rows = try CLIRunner.run(["data", "inspect", file, "--sources", Self.sources, "--rows", "json"])
        let first = rows.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.contains(#""Number of Employees":3648"#), "\(first)")
        #expect(first.contains(#""Create Date":"2022-12-03""#), "\(first)")
    }

    @Test func historyRecordReadsThroughTheSourcesFile() throws {
        guard CRMExportsTests.exportsPresent() else { return }
        let state = try Self.temporary("state")
        defer { try? FileManager.default.removeItem(at: state) }
        let result = try CLIRunner.run([
            "history", "record", "--data", Self.export, "--sources", Self.sources, "--state", state.path, "--at",
            "2025-07-31",
        ])
        #expect(result.status == 0, "\(result.stderr)")
    }
}
