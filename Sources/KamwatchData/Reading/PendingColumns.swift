import Foundation
import KamwatchVocabulary

/// Columns of a table still held as the chunks they were decoded into.
///
/// Tables that are grouped by account get copied into group order anyway: concatenating
/// their chunks first would write (and fault in) every byte once more. A column is
/// concatenated only when someone asks for it (`TableData.columns`), and then kept.
final class PendingColumns: @unchecked Sendable {
    // Unchecked Sendable: `pendingSlots` and `built` change under `lock` only; one caller resets a slot's pieces.
    let layout: ColumnLayout
    /// The chunks, in row order. The array never changes; a slot's builders are emptied
    /// (`reset`) once its cells were copied elsewhere.
    let pieces: [ChunkOutput]
    /// First row of each piece, then the row count.
    let pieceStarts: [Int]
    private var pendingSlots: Set<Int>
    private var built: [Int: Column] = [:]
    private let lock = NSLock()

    /// `rows`: the row count of each piece (their lines were copied into `TableData.lines` and
    /// let go already).
    init(layout: ColumnLayout, pieces: [ChunkOutput], rows: [Int], pendingSlots: Set<Int>) {
        self.layout = layout
        var starts = [0]
        for count in rows { starts.append(starts.last! + count) }
        self.pieceStarts = starts
        self.pieces = pieces
        self.pendingSlots = pendingSlots
    }

    var rowCount: Int { pieceStarts.last! }

    /// Whether `slot` is (or was) held in pieces rather than in `TableData`'s own columns.
    func holds(_ slot: Int) -> Bool { lock.withLock { pendingSlots.contains(slot) || built[slot] != nil } }

    /// Whether `slot` is still only in pieces (not concatenated yet).
    func inPieces(_ slot: Int) -> Bool { lock.withLock { pendingSlots.contains(slot) } }

    /// The cells of text slot `slot` in its pieces; valid while the slot is in pieces.
    func segments(_ slot: Int) -> TextSegments {
        guard case .text(let t, _) = layout.places[slot] else { preconditionFailure("slot \(slot) is not text") }
        return TextSegments(
            bytes: pieces.map { UnsafePointer($0.texts[t].bytes.base) },
            ends: pieces.map { UnsafePointer($0.texts[t].ends.base) }, starts: pieceStarts)
    }

    /// The column in one piece, concatenating it on first use.
    func column(_ slot: Int) -> Column {
        lock.withLock {
            if let column = built[slot] { return column }
            let column = concatenate(slot)
            pendingSlots.remove(slot)
            built[slot] = column
            return column
        }
    }

    /// The column in one piece, letting go of its pieces: for the sole owner, which takes each
    /// slot once (slots may be taken concurrently).
    func take(_ slot: Int) -> Column {
        if let column = lock.withLock({ built.removeValue(forKey: slot) }) { return column }
        let column = concatenate(slot)
        lock.withLock { _ = pendingSlots.remove(slot) }
        return column
    }

    /// The slot's pieces back to back, each piece's buffers freed as soon as they are copied.
    private func concatenate(_ slot: Int) -> Column {
        let total = rowCount
        switch layout.places[slot] {
        case .text(let t, _):
            return .text(TableReader.concatText(pieces.map { $0.texts[t] }, total: total, releasing: true))
        case .number(let k):
            return .number(TableReader.concat(pieces.map { $0.numbers[k] }, total: total, releasing: true))
        case .date(let k):
            return .date(TableReader.concat(pieces.map { $0.dates[k] }, total: total, releasing: true))
        }
    }

    /// Lets go of a slot's pieces once its cells were copied elsewhere (only by the sole owner).
    func release(_ slot: Int) {
        lock.withLock {
            pendingSlots.remove(slot)
            built[slot] = nil
        }
        switch layout.places[slot] {
        case .text(let t, _): for piece in pieces { piece.texts[t].reset() }
        case .number(let k): for piece in pieces { piece.numbers[k].reset() }
        case .date(let k): for piece in pieces { piece.dates[k].reset() }
        }
    }
}
