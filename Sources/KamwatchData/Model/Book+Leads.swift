import Foundation

extension Book {
    /// Every sales lead the accounts table names (its `lead` column, blank cells left out).
    public var leads: Set<String> {
        guard case .text(let column) = accounts.column(named: "lead") else { return [] }
        // Few distinct values in a million rows: rows are compared by their bytes (hashed,
        // in a small open-addressed table), and only each distinct value becomes a `String`,
        // trimmed once.
        var distinct: [Range<Int>] = []
        column.bytes.withUnsafeBufferPointer { bytes in
            column.ends.withUnsafeBufferPointer { ends in
                guard let base = bytes.baseAddress, ends.count > 0 else { return }
                var slots = [Int32](repeating: -1, count: 64)
                var mask = slots.count - 1
                for row in 0..<ends.count {
                    let start = ends.rangeStart(row)
                    let n = ends.rangeCount(row)
                    if n == 0 { continue }
                    var slot = Int(truncatingIfNeeded: ByteHash.hash(base + start, n)) & mask
                    while slots[slot] >= 0 {
                        let seen = distinct[Int(slots[slot])]
                        if seen.count == n, memEqual(base + seen.lowerBound, base + start, n) { break }
                        slot = (slot + 1) & mask
                    }
                    if slots[slot] >= 0 { continue }
                    slots[slot] = Int32(distinct.count)
                    distinct.append(start..<start + n)
                    if distinct.count * 2 > slots.count {
                        // Grown and filled again: at most half full, so a probe ends soon.
                        slots = [Int32](repeating: -1, count: slots.count * 2)
                        mask = slots.count - 1
                        for (i, r) in distinct.enumerated() {
                            var s = Int(truncatingIfNeeded: ByteHash.hash(base + r.lowerBound, r.count)) & mask
                            while slots[s] >= 0 { s = (s + 1) & mask }
                            slots[s] = Int32(i)
                        }
                    }
                }
            }
        }
        var out = Set<String>()
        for r in distinct {
            let lead = String(decoding: column.bytes[r], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if !lead.isEmpty { out.insert(lead) }
        }
        return out
    }
}
