import KamwatchVocabulary

extension Table {
    /// One cell of a row added to a table.
    public enum Cell: Sendable, Hashable {
        case text(String)
        case number(Double)
        case date(Day)
    }

    /// A row to add: its group (account or entity index) and its cells by column name;
    /// columns not named are absent.
    public struct NewRow: Sendable {
        public var group: Int
        public var cells: [String: Cell]

        public init(group: Int, cells: [String: Cell]) {
            self.group = group
            self.cells = cells
        }
    }

    /// The table with `rows` added, each after the rows its group already has (in the order
    /// given within a group). A cell whose kind does not fit its column is absent.
    public func adding(_ rows: [NewRow]) -> Table {
        if rows.isEmpty { return self }
        let groupCount = groupStarts.count - 1
        var byGroup = [[Int]](repeating: [], count: groupCount)
        for (i, row) in rows.enumerated() where row.group >= 0 && row.group < groupCount {
            byGroup[row.group].append(i)
        }
        var starts: [Int32] = [0]
        starts.reserveCapacity(groupStarts.count)
        for g in 0..<groupCount {
            starts.append(starts[g] + groupStarts[g + 1] - groupStarts[g] + Int32(byGroup[g].count))
        }
        let columns = schema.columns.indices.map { slot in
            merged(slot, rows: rows, byGroup: byGroup, total: Int(starts[groupCount]))
        }
        return Table(schema: schema, columns: columns, groupStarts: starts)
    }

    /// Column `slot` with the new rows' cells put after each group's own.
    private func merged(_ slot: Int, rows: [NewRow], byGroup: [[Int]], total: Int) -> Column {
        let name = schema.columns[slot].name
        switch columns[slot] {
        case .text(let old):
            var out = TextColumn()
            out.ends.reserveCapacity(total)
            out.bytes.reserveCapacity(old.bytes.count)
            for g in byGroup.indices {
                for r in self.rows(ofGroup: g) { out.append(old.bytes[old.range(r)]) }
                for i in byGroup[g] {
                    if case .text(let s) = rows[i].cells[name] { out.append(s.utf8) } else { out.appendAbsent() }
                }
            }
            return .text(out)
        case .number(let old):
            var out: [Double] = []
            out.reserveCapacity(total)
            for g in byGroup.indices {
                out.append(contentsOf: old[self.rows(ofGroup: g)])
                for i in byGroup[g] {
                    if case .number(let v) = rows[i].cells[name] { out.append(v) } else { out.append(.nan) }
                }
            }
            return .number(out)
        case .date(let old):
            var out: [Int32] = []
            out.reserveCapacity(total)
            for g in byGroup.indices {
                out.append(contentsOf: old[self.rows(ofGroup: g)])
                for i in byGroup[g] {
                    if case .date(let d) = rows[i].cells[name] {
                        out.append(d.ordinal)
                    } else {
                        out.append(Column.absentDate)
                    }
                }
            }
            return .date(out)
        }
    }
}
