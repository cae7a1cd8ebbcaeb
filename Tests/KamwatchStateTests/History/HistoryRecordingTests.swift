import Foundation
import KamwatchState
import KamwatchVocabulary
import Testing

/// Recording snapshots: what the history keeps, SPEC §6 "History".
@Suite("History recording")
struct HistoryRecordingTests {
    static let d1 = Day(iso: "2026-03-01")!

    /// A snapshot of contacts (`id: account`) and parents (`account: parent`).
    static func snapshot(_ contacts: [String: String], parents: [String: String?] = [:]) -> HistorySnapshot {
        HistorySnapshot(
            contacts: contacts.mapValues { HistorySnapshot.Contact(accountID: $0) },
            parents: parents.mapValues { HistorySnapshot.Parent(parentID: $0, parentName: $0.map { "Name of " + $0 }) })
    }

    @Test("a contact that goes missing ends its period on the first day it was missing")
    func missingEndsThePeriod() throws {
        let store = try StateStore.inMemory()
        try store.recordHistory(Self.snapshot(["c1": "A", "c2": "A"]), on: Self.d1)
        let second = try store.recordHistory(Self.snapshot(["c2": "A"]), on: Self.d1 + 1)
        #expect(second.periodsEnded == 1 && second.periodsStarted == 0 && !second.replaced)
        try store.recordHistory(Self.snapshot(["c2": "A"]), on: Self.d1 + 5)
        let history = try store.history()
        #expect(history.days == ["2026-03-01", "2026-03-02", "2026-03-06"])
        #expect(
            history.contacts == [
                ContactPeriod(contactID: "c1", accountID: "A", firstSeen: "2026-03-01", missingFrom: "2026-03-02"),
                ContactPeriod(contactID: "c2", accountID: "A", firstSeen: "2026-03-01"),
            ])
    }

    @Test("recording the same day again replaces it")
    func sameDayReplaces() throws {
        let store = try StateStore.inMemory()
        try store.recordHistory(Self.snapshot(["c1": "A", "c2": "A"], parents: ["A": nil]), on: Self.d1)
        try store.recordHistory(Self.snapshot(["c1": "A", "c3": "A"], parents: ["A": "P"]), on: Self.d1 + 1)
        let again = try store.recordHistory(
            Self.snapshot(["c1": "A", "c2": "A"], parents: ["A": nil]), on: Self.d1 + 1)
        #expect(again.replaced)
        let history = try store.history()
        #expect(history.days == ["2026-03-01", "2026-03-02"])
        #expect(history.contacts.map(\.contactID) == ["c1", "c2"])
        #expect(history.contacts.allSatisfy { $0.missingFrom == nil })
        #expect(
            history.parents == [ParentPeriod(accountID: "A", parentID: nil, parentName: nil, fromDay: "2026-03-01")])
    }

    @Test("a day older than the last recorded one is refused, and nothing changes")
    func olderDayRefused() throws {
        let store = try StateStore.inMemory()
        try store.recordHistory(Self.snapshot(["c1": "A"]), on: Self.d1 + 3)
        let before = try store.history()
        let error = #expect(throws: HistoryError.self) {
            try store.recordHistory(Self.snapshot(["c2": "A"]), on: Self.d1)
        }
        #expect(error == .olderThanLastDay(day: "2026-03-01", last: "2026-03-04"))
        #expect(
            error?.description
                == "cannot record 2026-03-01: the history already goes up to 2026-03-04, and snapshots are "
                + "recorded oldest first (a day older than the last recorded one is refused)")
        #expect(try store.history() == before)
    }

    @Test("a contact seen again starts a new period; one seen at another account too")
    func seenAgainStartsANewPeriod() throws {
        let store = try StateStore.inMemory()
        try store.recordHistory(Self.snapshot(["c1": "A", "c2": "A"]), on: Self.d1)
        try store.recordHistory(Self.snapshot(["c2": "A"]), on: Self.d1 + 1)
        try store.recordHistory(Self.snapshot(["c1": "A", "c2": "B"]), on: Self.d1 + 2)
        #expect(
            try store.history().contacts == [
                ContactPeriod(contactID: "c1", accountID: "A", firstSeen: "2026-03-01", missingFrom: "2026-03-02"),
                ContactPeriod(contactID: "c1", accountID: "A", firstSeen: "2026-03-03"),
                ContactPeriod(contactID: "c2", accountID: "A", firstSeen: "2026-03-01", missingFrom: "2026-03-03"),
                ContactPeriod(contactID: "c2", accountID: "B", firstSeen: "2026-03-03"),
            ])
    }

    @Test("only parent changes make rows; a new account's first parent is no change")
    func parentPeriods() throws {
        let store = try StateStore.inMemory()
        try store.recordHistory(Self.snapshot([:], parents: ["A": nil, "B": "P"]), on: Self.d1)
        try store.recordHistory(Self.snapshot([:], parents: ["A": nil, "B": "P", "C": "P"]), on: Self.d1 + 1)
        // A is gone from this export: it keeps its parent.
        let third = try store.recordHistory(Self.snapshot([:], parents: ["B": "Q", "C": "P"]), on: Self.d1 + 2)
        #expect(third.parentChanges == 1)
        try store.recordHistory(Self.snapshot([:], parents: ["A": nil, "B": "Q", "C": "P"]), on: Self.d1 + 3)
        #expect(
            try store.history().parents == [
                ParentPeriod(accountID: "A", parentID: nil, parentName: nil, fromDay: "2026-03-01"),
                ParentPeriod(
                    accountID: "B", parentID: "P", parentName: "Name of P", fromDay: "2026-03-01", toDay: "2026-03-03"),
                ParentPeriod(accountID: "B", parentID: "Q", parentName: "Name of Q", fromDay: "2026-03-03"),
                ParentPeriod(accountID: "C", parentID: "P", parentName: "Name of P", fromDay: "2026-03-02"),
            ])
    }

    @Test("recording in memory gives the history the database keeps")
    func memoryMatchesTheDatabase() throws {
        let store = try StateStore.inMemory()
        var memory = ContactHistory()
        let days: [(Int, HistorySnapshot)] = [
            (0, Self.snapshot(["c1": "A", "c2": "A", "c3": "B"], parents: ["A": nil, "B": "A"])),
            (1, Self.snapshot(["c2": "A", "c3": "A"], parents: ["A": "X", "B": "A"])),
            (1, Self.snapshot(["c2": "A", "c3": "B", "c4": "B"], parents: ["A": "Y", "B": "A"])),
            (4, Self.snapshot(["c1": "A", "c4": "B"], parents: ["A": nil, "B": "A"])),
        ]
        for (offset, snapshot) in days {
            try store.recordHistory(snapshot, on: Self.d1 + offset)
            memory = memory.recording(snapshot, on: (Self.d1 + offset).description)
        }
        let stored = try store.history()
        #expect(stored.days == memory.days)
        #expect(Set(stored.contacts) == Set(memory.contacts))
        #expect(Set(stored.parents) == Set(memory.parents))
        #expect(memory.before("2026-03-02").recording(days[2].1, on: "2026-03-02").contacts.count == 4)
    }
}
