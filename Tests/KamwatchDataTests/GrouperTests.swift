import KamwatchVocabulary
import Testing

@testable import KamwatchData

@Suite("Rows put in group order")
struct GrouperTests {
    /// Small deterministic generator (xorshift), so that a failure can be replayed.
    struct Random {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    /// The rows of a table in group order, by the definition: stable by group, rows of no group
    /// (negative) left out.
    static func expectedOrder(_ groups: [Int32]) -> [Int] {
        groups.indices.filter { groups[$0] >= 0 }.sorted { (groups[$0], $0) < (groups[$1], $1) }
    }

    /// One order table cut into pieces (as decoded in chunks): its dates, amounts and order ids
    /// pending in the pieces, and the same cells as plain arrays.
    struct PiecedTable {
        let pending: PendingColumns
        let starts: [Int]
        let dates: [Int32]
        let amounts: [Double]
        let ids: [String]
        let dateSlot: Int
        let amountSlot: Int
        let idSlot: Int

        init(pieceRows: [Int], random: inout Random) {
            let schema = BookSchema.standard[.orders]
            let layout = ColumnLayout(schema: schema)
            dateSlot = schema.index(of: "date")!
            amountSlot = schema.index(of: "net_amount")!
            idSlot = schema.index(of: "order_id")!
            guard case .date(let d) = layout.places[dateSlot], case .number(let a) = layout.places[amountSlot],
                case .text(let t, _) = layout.places[idSlot]
            else { preconditionFailure("the orders' layout") }
            var pieces: [ChunkOutput] = []
            var dates: [Int32] = []
            var amounts: [Double] = []
            var ids: [String] = []
            var starts = [0]
            for rows in pieceRows {
                let out = ChunkOutput(schema: schema)
                for _ in 0..<rows {
                    let date = Int32(random.next(40_000))
                    let amount = Double(random.next(1_000_000)) / 100
                    // Empty cells and longer ones among them.
                    let padding = String(repeating: "x", count: random.next(20))
                    let id = random.next(7) == 0 ? "" : "O\(padding)\(dates.count)"
                    out.dates[d].append(date)
                    out.numbers[a].append(amount)
                    Array(id.utf8).withUnsafeBufferPointer { cell in
                        out.texts[t].append(cell.baseAddress ?? UnsafePointer(bitPattern: 1)!, cell.count)
                    }
                    out.lines.append(UInt32(dates.count))
                    dates.append(date)
                    amounts.append(amount)
                    ids.append(id)
                }
                pieces.append(out)
                starts.append(starts.last! + rows)
            }
            pending = PendingColumns(
                layout: layout, pieces: pieces, rows: pieceRows, pendingSlots: [dateSlot, amountSlot, idSlot])
            self.starts = starts
            self.dates = dates
            self.amounts = amounts
            self.ids = ids
        }
    }

    static func texts(_ column: Column) -> [String] {
        guard case .text(let t) = column else { return [] }
        return (0..<t.count).map { t[$0] ?? "" }
    }

    @Test("entries naming piece and row hold what the pieces can give, else none")
    func pieceBits() {
        #expect(Grouper.pieceBits([0]) == nil)
        #expect(Grouper.pieceBits([0, 0]) == 1)
        #expect(Grouper.pieceBits([0, 5, 10]) == 3)
        #expect(Grouper.pieceBits([0, 8, 9]) == 4)
        // 2^20 rows need 21 bits: 1 024 pieces fit the 10 above them, 1 025 do not.
        let wide = 1 << 20
        #expect(Grouper.pieceBits(Array(stride(from: 0, through: 1024 * wide, by: wide))) == 21)
        #expect(Grouper.pieceBits(Array(stride(from: 0, through: 1025 * wide, by: wide))) == nil)
        #expect(Grouper.pieceBits([0, 1 << 30]) == nil)
        #expect(Grouper.pieceBits([0, (1 << 30) - 1, 1 << 30]) == 30)
    }

    @Test("a plan from pieces gives the rows of the plan without them")
    func planFromPieces() {
        var random = Random(state: 0x9E37_79B9_7F4A_7C15)
        for round in 0..<300 {
            let pieceRows = (0..<(1 + random.next(6))).map { _ in random.next(4) == 0 ? 0 : random.next(200) }
            let rows = pieceRows.reduce(0, +)
            let groupCount = 1 + random.next(40)
            // Some tables already in group order, some with rows of no group.
            let sorted = round % 5 == 0
            var groups = (0..<rows).map { _ in Int32(random.next(groupCount + (sorted ? 0 : 3))) - (sorted ? 0 : 3) }
            if sorted { groups.sort() }
            var pieceStarts = [0]
            for n in pieceRows { pieceStarts.append(pieceStarts.last! + n) }
            let (plain, pieced) = groups.withUnsafeBufferPointer {
                (
                    Grouper.plan($0, groupCount: groupCount, pieceStarts: nil),
                    Grouper.plan($0, groupCount: groupCount, pieceStarts: pieceStarts)
                )
            }
            #expect(pieced.starts == plain.starts && pieced.kept == plain.kept)
            // Where each group's rows begin and end, by their counts.
            var counted = [Int32](repeating: 0, count: groupCount + 1)
            for g in groups where g >= 0 { counted[Int(g) + 1] += 1 }
            for g in 0..<groupCount { counted[g + 1] += counted[g] }
            #expect(plain.starts == counted)
            #expect(pieced.rows() == plain.order)
            let expected = Self.expectedOrder(groups)
            #expect((plain.order?.map(Int.init) ?? Array(0..<rows)) == expected)
            if plain.order != nil, rows > 0 { #expect(pieced.pieceBits != nil) }
        }
    }

    @Test("columns copied from pieces by such a plan hold the cells of the rows in group order")
    func columnsFromPieces() {
        var random = Random(state: 0xD1B5_4A32_D192_ED03)
        for round in 0..<120 {
            let pieceRows = (0..<(1 + random.next(5))).map { _ in random.next(5) == 0 ? 0 : random.next(300) }
            let table = PiecedTable(pieceRows: pieceRows, random: &random)
            let rows = table.dates.count
            let groupCount = 1 + random.next(30)
            let groups = (0..<rows).map { _ in Int32(random.next(groupCount + 2)) - 2 }
            let plan = groups.withUnsafeBufferPointer {
                Grouper.plan($0, groupCount: groupCount, pieceStarts: table.starts)
            }
            let expected = Self.expectedOrder(groups)
            // Every other round, one column was concatenated before (it is then no longer in pieces).
            let concatenated = round % 2 == 0 ? table.dateSlot : nil
            if let concatenated { _ = table.pending.column(concatenated) }
            func copy(_ slot: Int) -> Column {
                Grouper.column(slot, stored: .number([]), pending: table.pending, soleOwner: true, plan: plan)
            }
            guard case .date(let dates) = copy(table.dateSlot), case .number(let amounts) = copy(table.amountSlot)
            else {
                Issue.record("column kinds")
                continue
            }
            let ids = Self.texts(copy(table.idSlot))
            #expect(dates == expected.map { table.dates[$0] })
            #expect(amounts == expected.map { table.amounts[$0] })
            #expect(ids == expected.map { table.ids[$0] })
        }
    }
}
