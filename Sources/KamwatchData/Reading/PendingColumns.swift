import Foundation

/// Columns of a table still held as the chunks they were decoded into.
///
/// Tables that are grouped by account get copied into group order anyway: concatenating
/// their chunks first would write (and fault in) every byte once more. A column is
/// concatenated only when someone asks for it (`TableData.columns`), and then kept.
final class PendingColumns: @unchecked Sendable {
    let layout: ColumnLayout
    /// The chunks, in row order; only the builders of pending slots still hold data.
    private(set) var pieces: [ChunkOutput]
    /// First row of each piece, then the row count.
    let pieceStarts: [Int]
    private var pendingSlots: Set<Int>
    private var built: [Int: Column] = [:]
    private let lock = NSLock()

    init(layout: ColumnLayout, pieces: [ChunkOutput], pendingSlots: Set<Int>) {
        self.layout = layout
        var starts = [0]
        for piece in pieces { starts.append(starts.last! + piece.rowCount) }
        self.pieceStarts = starts
        // Row lines were copied into `TableData.lines` already.
        var pieces = pieces
        for i in pieces.indices { pieces[i].lines = RawBuffer() }
        self.pieces = pieces
        self.pendingSlots = pendingSlots
    }

    var rowCount: Int { pieceStarts.last! }

    /// Whether `slot` is (or was) held in pieces rather than in `TableData`'s own columns.
    func holds(_ slot: Int) -> Bool { lock.withLock { pendingSlots.contains(slot) || built[slot] != nil } }

    /// Whether `slot` is still only in pieces (not concatenated yet).
    func inPieces(_ slot: Int) -> Bool { lock.withLock { pendingSlots.contains(slot) } }

    /// The column in one piece, concatenating it on first use.
    func column(_ slot: Int) -> Column {
        lock.withLock {
            if let column = built[slot] { return column }
            let total = rowCount
            let column: Column
            switch layout.places[slot] {
            case .text(let t, _):
                column = .text(TableReader.concatText(pieces.map { $0.texts[t] }, total: total))
                for i in pieces.indices { pieces[i].texts[t] = TextBuilder() }
            case .number(let k):
                column = .number(TableReader.concat(pieces.map { $0.numbers[k] }, total: total))
                for i in pieces.indices { pieces[i].numbers[k] = RawBuffer() }
            case .date(let k):
                column = .date(TableReader.concat(pieces.map { $0.dates[k] }, total: total))
                for i in pieces.indices { pieces[i].dates[k] = RawBuffer() }
            }
            pendingSlots.remove(slot)
            built[slot] = column
            return column
        }
    }

    /// Lets go of a slot's pieces once its cells were copied elsewhere (only by the sole owner).
    func release(_ slot: Int) {
        lock.withLock {
            pendingSlots.remove(slot)
            built[slot] = nil
            switch layout.places[slot] {
            case .text(let t, _): for i in pieces.indices { pieces[i].texts[t] = TextBuilder() }
            case .number(let k): for i in pieces.indices { pieces[i].numbers[k] = RawBuffer() }
            case .date(let k): for i in pieces.indices { pieces[i].dates[k] = RawBuffer() }
            }
        }
    }
}
