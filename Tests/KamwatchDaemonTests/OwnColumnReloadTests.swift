import Foundation
import KamwatchData
import KamwatchRules
import KamwatchState
import KamwatchTestSupport
import KamwatchVocabulary
import Logging
import Testing

@testable import KamwatchDaemon

/// The daemon's rules read the columns of the user's own that its sources file declares; a
/// reload (SIGHUP) takes a new sources file and the rules with it, or refuses both.
@Suite("Own columns in the daemon")
struct OwnColumnReloadTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    /// 2026-11-20 12:00 UTC.
    let noon = Date(timeIntervalSince1970: 1_795_176_000)

    static let rule = """
        version: 1
        id: enterprise-key
        title: Enterprise key account
        scope: account.tier == "key"
        when: account.segment == "enterprise"
        severity: warning
        message: "enterprise"
        """

    static func sources(_ segment: String?) -> String {
        """
        version: 1
        tables:
          accounts:
            files: ["companies.csv"]
            columns:
              account_id: ID
              name: Company
              tier: Tier
        """ + (segment.map { "\n      segment: {from: \($0), type: keyword}\n" } ?? "\n")
    }

    @Test("a reload with another sources file re-reads the column; one the rules cannot use is refused")
    func reloadTakesTheNewColumns() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for sub in ["data", "rules", "state-db"] {
            try FileManager.default.createDirectory(atPath: dir.path + "/" + sub, withIntermediateDirectories: true)
        }
        try dir.write(
            "data/companies.csv",
            "ID,Company,Tier,Segment,Segment 2\nA,Alpha,key,Enterprise,SMB\nB,Beta,key,SMB,Enterprise\n")
        try dir.write("rules/enterprise-key.yaml", Self.rule)
        try dir.write("first.yaml", Self.sources("Segment"))
        try dir.write("second.yaml", Self.sources("Segment 2"))
        try dir.write("none.yaml", Self.sources(nil))

        let store = try StateStore(directory: dir.path + "/state-db")
        let plan = try SourcesFile.load(path: dir.path + "/first.yaml")
        let rules = try RuleSet.load(directory: dir.path + "/rules", schema: plan.schema)
        let emitter = try Emitter(
            store: store, journal: RecordingJournal(), lookup: FixedLookup(seqs: []),
            outbox: try OutboxWriter(outboxDir: dir.path + "/outbox"), locale: .en, logger: logger)
        let now = noon
        let evaluator = try Evaluator(
            rules: rules, locale: .en, timeZone: TimeZone(identifier: "UTC")!, dataDir: dir.path + "/data",
            sources: plan, store: store, emitter: emitter, now: { now }, logger: logger)
        try await evaluator.dataChanged(.everything)
        func transitions() throws -> [String] {
            try store.transitions(afterSeq: 0).map { "\($0.state.rawValue) \($0.accountID)" }
        }
        #expect(try transitions() == ["firing A"])

        var config = DaemonConfig()
        config.dataDir = dir.path + "/data"
        config.rulesDir = dir.path + "/rules"
        config.timezone = "UTC"
        config.locale = .en
        config.sources = dir.path + "/second.yaml"
        let second = Reloader(loadConfig: { [config] in config }, running: config, logger: logger)
        #expect(await second.reload(evaluator: evaluator) == nil)
        #expect(try Set(transitions()) == ["firing A", "resolved A", "firing B"])

        config.sources = dir.path + "/none.yaml"
        let none = Reloader(loadConfig: { [config] in config }, running: config, logger: logger)
        let refused = await none.reload(evaluator: evaluator)
        #expect(refused?.contains("unknown account attribute \"segment\"") == true, "\(refused ?? "taken")")
        try await evaluator.reevaluate()
        #expect(try transitions().count == 3)
    }
}
