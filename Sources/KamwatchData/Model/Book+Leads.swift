import Foundation

extension Book {
    /// Every sales lead the accounts table names (its `lead` column, blank cells left out).
    public var leads: Set<String> {
        guard case .text(let column) = accounts.column(named: "lead") else { return [] }
        var out = Set<String>()
        for row in 0..<column.count {
            if let lead = column[row]?.trimmingCharacters(in: .whitespaces), !lead.isEmpty { out.insert(lead) }
        }
        return out
    }
}
