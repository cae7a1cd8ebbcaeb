import Foundation
import KamwatchCommands
import KamwatchState
import KamwatchVocabulary
import Testing

/// `kamwatch silence` and `kamwatch status` against a state directory, with an injected clock.
@Suite("silence and status commands")
struct SilenceRunTests {
    /// 2026-11-30 12:00 UTC (15:00 in Moscow, the default zone).
    static let now = Date(timeIntervalSince1970: 1_796_040_000)

    /// A state directory holding a migrated database with one open alert, and a config naming it.
    func withState(_ body: (StateOptions, String) throws -> Void) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(directory: dir.path)
        let a = Alert(
            rule: "discount-creep", accountID: "A1", accountName: "Acme", severity: .warning, message: "creeping",
            evidence: ["creep": .number(6)], owner: nil, lead: nil)
        try store.apply(TransitionPlanner.plan(current: [a], open: []), at: Self.now)
        let config = try dir.write("kamwatch.yaml", "state_dir: \(dir.path)\ntimezone: UTC\n")
        try body(StateOptions(config: config), dir.path)
    }

    func run(_ body: (Output) throws -> Void) -> (out: String, err: String, code: Int32) {
        let captured = CapturedOutput()
        do {
            try body(captured.output)
            return (captured.stdout, captured.stderr, 0)
        } catch let failure as CommandFailure {
            return (captured.stdout, captured.stderr + failure.description, failure.exitCode)
        } catch {
            return (captured.stdout, captured.stderr + "\(error)", -1)
        }
    }

    @Test("add prints the id; list shows it; status names it; expire ends it")
    func roundTrip() throws {
        try withState { options, _ in
            let silence = SilenceRun(options: options, now: { Self.now })
            let added = run {
                try silence.add(
                    rule: nil, account: "A1", until: "2026-12-05", reason: "renegotiating", by: "maria", output: $0)
            }
            #expect(added.out == "1\n" && added.code == 0)
            let listed = run { try silence.list(all: false, output: $0) }
            #expect(listed.out.contains("1   *     A1       2026-12-05  active  maria  renegotiating"))
            let status = run { try StatusRun(options: options, now: { Self.now }).run(output: $0) }
            #expect(status.out.contains("#1"))
            var json = options
            json.format = .json
            let statusJSON = run { try StatusRun(options: json, now: { Self.now }).run(output: $0) }
            #expect(statusJSON.out.contains("\"silenced_by\":1"))
            #expect(run { try silence.expire(id: 1, output: $0) }.out == "expired silence 1\n")
            #expect(run { try silence.list(all: false, output: $0) }.out == "no active silences\n")
            #expect(run { try silence.expire(id: 7, output: $0) }.code == 2)
        }
    }

    @Test(
        "bad input is refused with exit status 2 and a clear message",
        arguments: [
            (nil, "A1", "2026-12-05", "why", "say what to silence"),
            (nil, nil, "2026-12-05", "why", "say what to silence"),
            ("r", nil, "5.12.2026", "why", "--until takes a day as YYYY-MM-DD, not \"5.12.2026\""),
            ("r", nil, "2026-11-29", "why", "--until 2026-11-29 is in the past (today is 2026-11-30 in UTC)"),
            ("r", nil, "2026-12-05", "  ", "--reason must say why"),
        ] as [(String?, String?, String, String, String)])
    func refused(rule: String?, account: String?, until: String, reason: String, message: String) throws {
        try withState { options, _ in
            // The first case is accepted: an account alone is enough.
            let r = run {
                try SilenceRun(options: options, now: { Self.now }).add(
                    rule: rule, account: account, until: until, reason: reason, by: nil, output: $0)
            }
            if rule == nil, account != nil {
                #expect(r.code == 0)
            } else {
                #expect(r.code == 2)
                #expect(r.err.contains(message))
            }
        }
    }

    @Test("today is accepted as the last day; an unknown rule id gets a warning")
    func unknownRuleWarns() throws {
        try withState { options, _ in
            let r = run {
                try SilenceRun(options: options, now: { Self.now }).add(
                    rule: "no-such-rule", account: nil, until: "2026-11-30", reason: "later", by: nil, output: $0)
            }
            #expect(r.code == 0 && r.out == "1\n")
            #expect(r.err.contains("warning: no rule \"no-such-rule\""))
        }
    }

    @Test("without a state database: one line, exit status 1, and no database is made")
    func noDatabase() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let r = run {
            try SilenceRun(options: StateOptions(state: dir.path), now: { Self.now }).add(
                rule: nil, account: "A", until: "2099-01-01", reason: "x", by: nil, output: $0)
        }
        #expect(r.code == 1)
        #expect(r.err.contains("state database does not exist"))
        #expect(r.err.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/kamwatch.sqlite"))
    }
}
