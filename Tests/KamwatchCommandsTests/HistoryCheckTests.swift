import Foundation
import KamwatchCommands
import KamwatchState
import KamwatchVocabulary
import Testing

/// `history record` over successive days, then `check --state`: the contact-turnover and
/// merger-exposure alerts that only the history can give (SPEC §6 "History").
@Suite struct HistoryCheckTests {
    static let d1 = Day(iso: "2026-03-01")!

    /// Accounts: A1 (strategic) without a parent, A2 (key) under `parent`, and the two parents.
    static func accounts(parent: String) -> String {
        """
        account_id,name,tier,parent_id
        A1,Alpha,strategic,
        A2,Beta,key,\(parent)
        P1,Parent One,standard,
        P2,Parent Two,standard,

        """
    }

    /// Day 1: A1 has c1 and c2. Day 2: c1 is gone and A2's parent is P2. Day 3: c2 is gone too,
    /// c5 is new.
    static let exports: [(accounts: String, contacts: [String])] = [
        (accounts(parent: "P1"), ["c1,A1", "c2,A1", "c3,A2", "c4,A2"]),
        (accounts(parent: "P2"), ["c2,A1", "c3,A2", "c4,A2"]),
        (accounts(parent: "P2"), ["c3,A2", "c4,A2", "c5,A1"]),
    ]

    /// Writes day `i`'s exports and returns the data directory.
    static func export(_ i: Int, in dir: TemporaryDirectory) throws -> String {
        try dir.write("d\(i)/accounts.csv", exports[i].accounts)
        try dir.write(
            "d\(i)/contacts.csv", "contact_id,account_id\n" + exports[i].contacts.joined(separator: "\n") + "\n")
        return dir.path + "/d\(i)"
    }

    static func record(_ i: Int, in dir: TemporaryDirectory) throws {
        let run = HistoryRecord(data: try export(i, in: dir), state: dir.path + "/state", day: d1 + i)
        try run.run(output: CapturedOutput().output)
    }

    /// The history-made alerts `check` gives on day `i`'s exports: `rule account severity evidence`.
    static func check(_ i: Int, in dir: TemporaryDirectory, state: Bool = true) throws -> [String] {
        let captured = CapturedOutput()
        let run = CheckRun(
            data: try export(i, in: dir), rules: Repository.path("rules"), day: d1 + i, format: .json,
            state: state ? dir.path + "/state" : nil)
        try run.run(output: captured.output)
        return captured.stdout.split(separator: "\n").compactMap { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            guard let object, let rule = object["rule"] as? String,
                ["contact-turnover", "merger-exposure"].contains(rule)
            else { return nil }
            let evidence = try? JSONSerialization.data(
                withJSONObject: object["evidence"] ?? [:], options: [.sortedKeys])
            return "\(rule) \(object["account_id"]!) \(object["severity"]!) "
                + String(decoding: evidence ?? Data(), as: UTF8.self)
        }
    }

    static let turnoverHalf = #"contact-turnover A1 warning {"base":2,"left":1,"ratio":0.5}"#
    static let turnoverAll = #"contact-turnover A1 critical {"base":2,"left":2,"ratio":1}"#
    static let merger =
        #"merger-exposure A2 warning {"counterparty":"Parent Two","event_account":"A2","event_date":"2026-03-02","#
        + #""event_type":"ownership_change","share":0}"#

    @Test func recordedDaysGiveTurnoverAndMergerExposure() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Self.record(0, in: dir)
        #expect(try Self.check(0, in: dir).isEmpty)
        try Self.record(1, in: dir)
        #expect(try Self.check(1, in: dir) == [Self.turnoverHalf, Self.merger])
        try Self.record(2, in: dir)
        #expect(try Self.check(2, in: dir) == [Self.turnoverAll, Self.merger])
        // The files alone know nothing of who left or of the old parent.
        #expect(try Self.check(2, in: dir, state: false).isEmpty)
    }

    @Test func explainUsesTheRecordedHistoryAsTheDaemonDoes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Self.record(0, in: dir)
        try Self.record(1, in: dir)
        func turnover(state: String) throws -> String {
            let captured = CapturedOutput()
            let explain = ExplainRun(
                account: "A1", data: try Self.export(1, in: dir), rules: Repository.path("rules"),
                options: StateOptions(state: state, format: .json), at: (Self.d1 + 1).description, locale: .en,
                environment: [:])
            try explain.run(output: captured.output)
            return captured.stdout.split(separator: "\n").map(String.init)
                .first { $0.contains(#""rule":"contact-turnover""#) } ?? ""
        }
        let withHistory = try turnover(state: dir.path + "/state")
        #expect(withHistory.contains(#""severity":"warning""#), "\(withHistory)")
        #expect(withHistory.contains(#""evidence":{"base":2,"left":1,"ratio":0.5}"#), "\(withHistory)")
        let withoutHistory = try turnover(state: dir.path + "/no-state")
        #expect(withoutHistory.contains(#""severity":null"#), "\(withoutHistory)")
    }

    @Test func checkEvaluatesANewSnapshotAsIfRecordedAndRecordsNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Self.record(0, in: dir)
        try Self.record(1, in: dir)
        let file = dir.path + "/state/kamwatch.sqlite"
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(try Self.check(2, in: dir) == [Self.turnoverAll, Self.merger])
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
        #expect(try StateStore(directory: dir.path + "/state", readOnly: true).history().days.count == 2)
    }

    @Test func recordingAnOlderDayFailsWithStatus2() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Self.record(1, in: dir)
        let run = HistoryRecord(data: try Self.export(0, in: dir), state: dir.path + "/state", day: Self.d1)
        let failure = #expect(throws: CommandFailure.self) { try run.run(output: CapturedOutput().output) }
        #expect(failure?.exitCode == 2)
        #expect(
            failure?.description
                == "kamwatch history record: cannot record 2026-03-01: the history already goes up to 2026-03-02, "
                + "and snapshots are recorded oldest first (a day older than the last recorded one is refused)\n")
    }

    @Test func checkWithoutARecordedStateFails() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let failure = #expect(throws: CommandFailure.self) { try Self.check(0, in: dir) }
        #expect(failure?.exitCode == 2)
        #expect(failure?.description.contains("state database does not exist") == true)
    }
}
