import Foundation
import KamwatchDaemon
import KamwatchData
import KamwatchState
import KamwatchSystemd
import KamwatchTestSupport
import KamwatchVocabulary
import Testing

/// Input health in the daemon's pipeline: a broken export resolves nothing, and its problem is
/// raised and resolved once, in the journal and the state.
@Suite("Evaluator, input health")
struct EvaluatorHealthTests {
    func field(_ e: JournalEntry, _ name: String) -> String? {
        e.fields.first { $0.name.rawValue == name }?.stringValue
    }

    @Test("a contacts file that lost a required column keeps the last good contacts; raised once, resolved once")
    func lostColumn() async throws {
        let f = try EvaluatorTests.Fixture()
        defer { f.dir.remove() }
        let e = try EvaluatorTests().evaluator(f)
        try await e.dataChanged(.everything)
        let before = try f.store.lastSeq()
        // The export lost account_id: every row would be bad, and A1's alert would turn critical.
        try f.dir.write("data/contacts.csv", "contact_id,name,role,since,until\nC1,Ann,CEO,2020-01-01,\n")
        try await e.dataChanged(.everything)
        try await e.dataChanged(.everything)
        #expect(try f.store.lastSeq() == before)
        #expect(try f.store.healthProblems().map(\.key) == ["lost-column contacts.csv"])
        let raised = f.journal.entries.filter { field($0, "KAMWATCH_HEALTH_CHECK") == "lost-column" }
        #expect(raised.map { field($0, "KAMWATCH_STATE") } == ["raised"])
        #expect(raised.first?.messageID?.description == InputHealth.messageIDs["lost-column"])

        try f.dir.write("data/contacts.csv", "contact_id,account_id,name,role,since,until\nC1,A1,Ann,CEO,2020-01-01,\n")
        try await e.dataChanged(.everything)
        #expect(try f.store.lastSeq() == before)
        #expect(try f.store.healthProblems().isEmpty)
        let all = f.journal.entries.filter { field($0, "KAMWATCH_HEALTH_CHECK") == "lost-column" }
        #expect(all.map { field($0, "KAMWATCH_STATE") } == ["raised", "resolved"])
    }
}
