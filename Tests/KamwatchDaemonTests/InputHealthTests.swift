import Foundation
import KamwatchData
import KamwatchState
import KamwatchVocabulary
import Testing

@testable import KamwatchDaemon

/// The input health checks as transitions: raised once, resolved once, with an injected time.
@Suite("Input health")
struct InputHealthTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let day = 86_400.0

    func facts(good: Int = 100, bad: Int = 0, modified: Date? = nil, lost: [String: String] = [:]) -> TableFacts {
        var f = TableFacts()
        f.goodRows = good
        f.badRows = bad
        f.newestFile = modified == nil ? nil : "orders.csv"
        f.newestModified = modified
        f.lostColumns = lost
        return f
    }

    /// Runs the checks at each time against an in-memory state; returns (raised, resolved) keys.
    func replay(_ steps: [(Date, [TableName: TableFacts])]) throws -> [([String], [String])] {
        let store = try StateStore.inMemory()
        var out: [([String], [String])] = []
        for (now, f) in steps {
            let current = InputHealth.problems(f, now: now, settings: HealthSettings())
            let (raised, resolved) = InputHealth.transitions(current: current, stored: try store.healthProblems())
            try store.applyHealth(raised: raised, resolved: resolved)
            out.append((raised.map(\.key), resolved.map(\.key)))
        }
        return out
    }

    @Test("a table goes stale after 2 days without a new file, once, and resolves when one arrives")
    func stale() throws {
        let old = [TableName.orders: facts(modified: t0)]
        let steps = try replay([
            (t0 + day, old), (t0 + 2 * day + 1, old), (t0 + 3 * day, old),
            (t0 + 3 * day, [.orders: facts(modified: t0 + 3 * day)]),
        ])
        #expect(steps.map(\.0) == [[], ["stale-table orders"], [], []])
        #expect(steps.map(\.1) == [[], [], [], ["stale-table orders"]])
    }

    @Test("a file that lost a required column is raised and resolved by file name")
    func lostColumn() throws {
        let broken = [
            TableName.orders: facts(lost: [
                "orders-11.csv": "the header lacks the required column \"account_id\": every row is bad"
            ])
        ]
        let steps = try replay([(t0, broken), (t0 + 60, broken), (t0 + 120, [.orders: facts()])])
        #expect(steps.map(\.0) == [["lost-column orders-11.csv"], [], []])
        #expect(steps.map(\.1) == [[], [], ["lost-column orders-11.csv"]])
        let detail = InputHealth.problems(broken, now: t0, settings: HealthSettings()).values.first?.detail
        #expect(
            detail
                == "the header lacks the required column \"account_id\": every row is bad; orders keeps its last good contents"
        )
    }

    @Test("bad rows over 1% are raised; exactly 1% is not", arguments: [(1, false), (2, true)])
    func badRows(bad: Int, raised: Bool) throws {
        let problems = InputHealth.problems(
            [.orders: facts(good: 100 - bad, bad: bad)], now: t0, settings: HealthSettings())
        #expect(problems.keys.contains("bad-rows orders") == raised)
    }

    @Test("each check has its own MESSAGE_ID, distinct from the diagnostics'")
    func messageIDs() {
        let ids = Set(InputHealth.messageIDs.values)
        #expect(ids.count == 3)
        #expect(!ids.contains("cac11b3565754bf8950e42e6a175a66e"))
    }
}
