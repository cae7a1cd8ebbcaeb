import KamwatchVocabulary

/// The valid rows of one table, columnar, grouped by the account (or event company) they name.
///
/// Rows are stored sorted by group, keeping file order within a group, so the rows of
/// group `g` are `groupStarts[g] ..< groupStarts[g + 1]`.
public struct Table: Sendable {
    public let schema: TableSchema
    /// One entry per `schema.columns`, each with `rowCount` cells.
    public var columns: [Column]
    /// CSR offsets: `groupCount + 1` entries.
    public var groupStarts: [Int32]

    public init(schema: TableSchema, columns: [Column], groupStarts: [Int32]) {
        self.schema = schema
        self.columns = columns
        self.groupStarts = groupStarts
    }

    public var rowCount: Int { groupStarts.last.map { Int($0) } ?? 0 }

    /// Group index of each row (account index; for events, a `Book` entity index), spelled
    /// out from `groupStarts`.
    public var group: [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(rowCount)
        for g in 0..<max(groupStarts.count - 1, 0) {
            out.append(contentsOf: repeatElement(Int32(g), count: Int(groupStarts[g + 1] - groupStarts[g])))
        }
        return out
    }

    /// Rows of group `g`.
    @inlinable
    public func rows(ofGroup g: Int) -> Range<Int> {
        Int(groupStarts[g])..<Int(groupStarts[g + 1])
    }

    /// The column named `name` (case-insensitive), if the schema knows it.
    public func column(named name: String) -> Column? {
        schema.index(of: name).map { columns[$0] }
    }
}
