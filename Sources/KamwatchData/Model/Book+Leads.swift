import Foundation

extension Book {
    /// Every sales lead the accounts table names (its `lead` column, blank cells left out).
    public var leads: Set<String> {
        guard case .text(let column) = accounts.column(named: "lead") else { return [] }
        // Few distinct values in a million rows: each is trimmed once.
        var seen = Set<String>()
        for row in 0..<column.count {
            if let lead = column[row] { seen.insert(lead) }
        }
        var out = Set<String>()
        for raw in seen {
            let lead = raw.trimmingCharacters(in: .whitespaces)
            if !lead.isEmpty { out.insert(lead) }
        }
        return out
    }
}
