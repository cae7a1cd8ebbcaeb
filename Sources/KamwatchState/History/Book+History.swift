import KamwatchData
import KamwatchVocabulary

extension Book {
    /// The book with what the history remembers and the files forget (SPEC §6 "History"):
    /// - a contact that is gone from the files comes back, one row per ended period, with
    ///   `until` = the first recorded day it was missing;
    /// - a contact without `since` gets the first recorded day of its period, unless that is
    ///   the very first recorded day;
    /// - each parent change adds an `ownership_change` event on the account, dated the day it
    ///   was first seen, counterparty = the new parent's name (or "none").
    ///
    /// `history` must already hold this book's own snapshot (`ContactHistory.recording`), so
    /// that a contact in the files is never also taken for one that left. A history of one day
    /// changes nothing, and the book is returned as it is.
    public func applying(_ history: ContactHistory) -> Book {
        guard history.days.count > 1, let firstDay = history.days.first else { return self }
        var book = self
        book.contacts = contactsApplying(history, firstDay: firstDay)
        book.events = eventsApplying(history)
        return book
    }

    private func contactsApplying(_ history: ContactHistory, firstDay: String) -> Table {
        var table = contacts
        // Contacts in the files without a `since`: the first day of their open period.
        var started: [String: Int32] = [:]
        for p in history.contacts where p.missingFrom == nil && p.firstSeen != firstDay {
            if let day = Day(iso: p.firstSeen) { started[p.contactID] = day.ordinal }
        }
        if !started.isEmpty, let sinceSlot = table.schema.index(of: "since"),
            case .date(var since) = table.columns[sinceSlot],
            let ids = table.column(named: "contact_id")?.textColumn
        {
            for r in 0..<table.rowCount where since[r] == Column.absentDate {
                if let id = ids[r], let day = started[id] { since[r] = day }
            }
            table.columns[sinceSlot] = .date(since)
        }
        // Contacts gone from the files: one row per ended period, at an account the book still has.
        var rows: [Table.NewRow] = []
        for p in history.contacts {
            guard let end = p.missingFrom.flatMap({ Day(iso: $0) }), let account = accountIndex(of: p.accountID)
            else { continue }
            var cells: [String: Table.Cell] = [
                "contact_id": .text(p.contactID), "account_id": .text(p.accountID), "until": .date(end),
            ]
            if let since = (p.since ?? (p.firstSeen == firstDay ? nil : p.firstSeen)).flatMap({ Day(iso: $0) }) {
                cells["since"] = .date(since)
            }
            rows.append(Table.NewRow(group: account, cells: cells))
        }
        return table.adding(rows)
    }

    private func eventsApplying(_ history: ContactHistory) -> Table {
        let periods = history.parents.sorted { ($0.accountID, $0.fromDay) < ($1.accountID, $1.fromDay) }
        var rows: [Table.NewRow] = []
        for (previous, p) in zip(periods, periods.dropFirst()) where previous.accountID == p.accountID {
            guard let account = accountIndex(of: p.accountID), let day = Day(iso: p.fromDay) else { continue }
            let counterparty = p.parentID == nil ? "none" : p.parentName ?? p.parentID!
            let from = previous.parentID == nil ? "none" : previous.parentName ?? previous.parentID!
            rows.append(
                Table.NewRow(
                    group: account,
                    cells: [
                        "account_id": .text(p.accountID), "date": .date(day), "type": .text("ownership_change"),
                        "counterparty": .text(counterparty),
                        "note": .text("parent changed from \(from) to \(counterparty) (kamwatch history)"),
                    ]))
        }
        return events.adding(rows)
    }
}

extension Book {
    /// The book evaluated on `day` with its history: `history` with this book's snapshot
    /// recorded on `day` in memory (nothing is written), applied. Without a history, the book
    /// as it is.
    public func applying(_ history: ContactHistory, on day: Day, snapshot: HistorySnapshot? = nil) -> Book {
        if history.isEmpty { return self }
        return applying(history.recording(snapshot ?? HistorySnapshot(book: self), on: day.description))
    }
}
