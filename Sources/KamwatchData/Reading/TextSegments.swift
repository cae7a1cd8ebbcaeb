import KamwatchVocabulary

/// The cells of one text column held in several pieces (the chunks it was decoded into), with
/// rows numbered across the pieces: lets ids be checked and looked up without first copying
/// the pieces into one column.
///
/// Holds plain pointers: valid only while the pieces' owner is alive and does not change them.
struct TextSegments: @unchecked Sendable {
    // Unchecked Sendable: the pointers are only read, while their owner keeps the pieces alive and unchanged.
    /// Per piece, the cell bytes and the row ends, as in `TextColumn`.
    let bytes: [UnsafePointer<UInt8>]
    let ends: [UnsafePointer<UInt32>]
    /// First row of each piece, then the row count.
    let starts: [Int]

    init(bytes: [UnsafePointer<UInt8>], ends: [UnsafePointer<UInt32>], starts: [Int]) {
        self.bytes = bytes
        self.ends = ends
        self.starts = starts
    }

    /// The pieces of `builders`, in row order.
    init(_ builders: [TextBuilder]) {
        var starts = [0]
        for b in builders { starts.append(starts.last! + b.count) }
        self.init(
            bytes: builders.map { UnsafePointer($0.bytes.base) }, ends: builders.map { UnsafePointer($0.ends.base) },
            starts: starts)
    }

    /// Runs `body` with `column` as a single segment.
    static func with<R>(_ column: TextColumn, _ body: (TextSegments) -> R) -> R {
        column.bytes.withUnsafeBufferPointer { bytes in
            column.ends.withUnsafeBufferPointer { ends in
                let anyBytes = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
                let anyEnds = ends.baseAddress ?? UnsafePointer(bitPattern: 4)!
                return body(TextSegments(bytes: [anyBytes], ends: [anyEnds], starts: [0, column.count]))
            }
        }
    }

    var count: Int { starts.last! }
    var pieceCount: Int { bytes.count }

    /// Rows of piece `p`, numbered across pieces.
    func rows(ofPiece p: Int) -> Range<Int> { starts[p]..<starts[p + 1] }

    /// The piece that holds `row`.
    func piece(of row: Int) -> Int { starts.range(holding: row) }

    /// The bytes of cell `row` (rows numbered across pieces).
    @inline(__always)
    func cell(_ row: Int) -> (UnsafePointer<UInt8>, Int) {
        let p = piece(of: row)
        return cell(local: row - starts[p], inPiece: p)
    }

    /// The bytes of row `local` of piece `p`.
    @inline(__always)
    func cell(local: Int, inPiece p: Int) -> (UnsafePointer<UInt8>, Int) {
        let e = ends[p]
        let start = local == 0 ? 0 : Int(e[local - 1])
        return (bytes[p] + start, Int(e[local]) - start)
    }

    /// Calls `body` with every cell in row order: its row number and bytes.
    @inline(__always)
    func forEachCell(_ body: (Int, UnsafePointer<UInt8>, Int) -> Void) {
        for p in 0..<bytes.count {
            let b = bytes[p]
            let e = ends[p]
            let first = starts[p]
            var start = 0
            for local in 0..<(starts[p + 1] - first) {
                let end = Int(e[local])
                body(first + local, b + start, end - start)
                start = end
            }
        }
    }
}

extension Array where Element == Int {
    /// For `self` listing where each of `count - 1` ranges starts (ascending, then the end):
    /// the last range starting at or before `row`, found by halves.
    func range(holding row: Int) -> Int {
        var lo = 0
        var hi = count - 2
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if self[mid] <= row { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
