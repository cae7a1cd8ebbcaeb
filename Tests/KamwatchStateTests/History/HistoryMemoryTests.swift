import Foundation
import KamwatchState
import KamwatchVocabulary
import Testing

/// The daemon's history in memory gives what reading the history and recording in full give.
@Suite("History memory")
struct HistoryMemoryTests {
    static let d1 = Day(iso: "2026-03-01")!

    /// A deterministic generator, so that a failure can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
    }

    /// A snapshot of up to 8 contacts at 3 accounts and the accounts' parents, some of them changing.
    static func randomSnapshot(_ g: inout Generator) -> HistorySnapshot {
        var contacts: [String: HistorySnapshot.Contact] = [:]
        for c in 0..<8 where Int.random(in: 0..<4, using: &g) > 0 {
            let since = Int.random(in: 0..<3, using: &g) == 0 ? "2025-0\(c % 9 + 1)-01" : nil
            contacts["c\(c)"] = HistorySnapshot.Contact(accountID: "A\(Int.random(in: 0..<3, using: &g))", since: since)
        }
        var parents: [String: HistorySnapshot.Parent] = [:]
        for a in 0..<3 where Int.random(in: 0..<5, using: &g) > 0 {
            let parent = ["P1", "P2", nil][Int.random(in: 0..<3, using: &g)]
            parents["A\(a)"] = HistorySnapshot.Parent(
                parentID: parent, parentName: parent.map { "Name \($0) \(Int.random(in: 0..<2, using: &g))" })
        }
        return HistorySnapshot(contacts: contacts, parents: parents)
    }

    @Test(
        "evaluations on successive days, several a day, restarts: the same history and the same database",
        arguments: 1...12)
    func sameAsFullRecording(seed: Int) throws {
        var g = Generator(state: UInt64(seed))
        let store = try StateStore.inMemory()
        let reference = try StateStore.inMemory()
        var memory = HistoryMemory()
        var day = Self.d1
        var lastParents: HistorySnapshot.Parents?
        for _ in 0..<40 {
            switch Int.random(in: 0..<6, using: &g) {
            case 0: day = day + 1
            case 1: memory = HistoryMemory()  // a restart
            default: break
            }
            var snapshot = Self.randomSnapshot(&g)
            try memory.refresh(from: store)
            // Half the time the parents are those of the last snapshot, as when only contacts change.
            if let lastParents, Bool.random(using: &g) { snapshot.parents = lastParents }
            let expected = try reference.history().recording(snapshot, on: day.description)
            try reference.recordHistory(snapshot, on: day)
            // Now and then, as the daemon's start-up does: the day alone, written in one pass.
            if Int.random(in: 0..<3, using: &g) == 0, let mark = try store.recordOnlyDay(snapshot, on: day) {
                memory.holdOnly(snapshot, on: day.description, mark: mark)
                lastParents = snapshot.parents
                #expect(try store.history() == reference.history())
                continue
            }
            let next = memory.next(snapshot, on: day.description, sameParents: snapshot.parents == lastParents)
            lastParents = snapshot.parents
            if next.history.days.count > 1 { #expect(next.history == expected) }
            #expect(next.refused == nil)
            if let write = next.write { memory.commit(try store.recordHistory(write), history: next.history) }
            #expect(try store.history() == reference.history())
        }
    }

    @Test("an unchanged snapshot writes nothing")
    func unchangedWritesNothing() throws {
        var g = Generator(state: 7)
        let store = try StateStore.inMemory()
        var memory = HistoryMemory()
        let first = Self.randomSnapshot(&g)
        try memory.refresh(from: store)
        let next = memory.next(first, on: Self.d1.description)
        memory.commit(try store.recordHistory(try #require(next.write)), history: next.history)
        try memory.refresh(from: store)
        #expect(memory.next(first, on: Self.d1.description).write == nil)
        try memory.refresh(from: store)
        let second = memory.next(first, on: (Self.d1 + 1).description)
        #expect(second.write != nil)  // a new day is recorded even when nothing changed
    }

    @Test("another writer in between: the memory reads the history again")
    func anotherWriter() throws {
        var g = Generator(state: 3)
        let store = try StateStore.inMemory()
        var memory = HistoryMemory()
        try memory.refresh(from: store)
        let a = Self.randomSnapshot(&g)
        let next = memory.next(a, on: Self.d1.description)
        memory.commit(try store.recordHistory(try #require(next.write)), history: next.history)
        let b = Self.randomSnapshot(&g)
        try store.recordHistory(b, on: Self.d1 + 1)  // `kamwatch history record`
        let c = Self.randomSnapshot(&g)
        let expected = try store.history().recording(c, on: (Self.d1 + 1).description)
        try memory.refresh(from: store)
        let after = memory.next(c, on: (Self.d1 + 1).description)
        #expect(after.history == expected)
        memory.commit(try store.recordHistory(try #require(after.write)), history: after.history)
        let recorded = try store.history()
        #expect(recorded.days == expected.days)
        #expect(Set(recorded.contacts) == Set(expected.contacts) && Set(recorded.parents) == Set(expected.parents))
    }

    @Test("a day older than the last recorded one is refused, and still evaluated with the history")
    func olderDayRefused() throws {
        var g = Generator(state: 5)
        let store = try StateStore.inMemory()
        try store.recordHistory(Self.randomSnapshot(&g), on: Self.d1 + 2)
        var memory = HistoryMemory()
        try memory.refresh(from: store)
        let snapshot = Self.randomSnapshot(&g)
        let next = memory.next(snapshot, on: Self.d1.description)
        #expect(next.write == nil)
        #expect(next.refused == .olderThanLastDay(day: "2026-03-01", last: "2026-03-03"))
        #expect(next.history == (try store.history().recording(snapshot, on: "2026-03-01")))
    }
}
