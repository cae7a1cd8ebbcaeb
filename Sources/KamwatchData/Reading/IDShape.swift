/// The shape "prefix + decimal digits" of ids such as `A0001234` or Bitrix24's `1234`: ids of one
/// shape are equal exactly when their numbers (`key`) are, so repeats and lookups can use the
/// numbers instead of the text.
///
/// Exact by construction: the prefix (at most eight bytes) must match byte for byte, and the
/// digits either have a fixed width (leading zeros allowed: `A01` and `A001` never share a
/// shape) or carry no leading zero (one decimal spelling per number). An id that does not fit
/// has no key and equals no id that does.
struct IDShape: Sendable, Equatable {
    /// The prefix's bytes, little-endian, zero above `prefixLength`.
    let prefix: UInt64
    let prefixLength: Int
    /// Digits after the prefix; 0: from 1 to `maxDigits`, no leading zero (`0` alone allowed).
    let width: Int

    static let maxDigits = 18

    /// The shape of `p[0..<n]`: its trailing digits with what comes before them as the prefix,
    /// a fixed width when the digits start with a zero; `nil` when it has no such shape.
    static func of(_ p: UnsafePointer<UInt8>, _ n: Int) -> IDShape? {
        var digits = 0
        while digits < n && p[n - 1 - digits] &- 48 < 10 { digits += 1 }
        let prefixLength = n - digits
        if digits == 0 || digits > maxDigits || prefixLength > 8 { return nil }
        var prefix: UInt64 = 0
        for i in 0..<prefixLength { prefix |= UInt64(p[i]) << (8 * UInt64(i)) }
        let width = digits > 1 && p[prefixLength] == 48 ? digits : 0
        return IDShape(prefix: prefix, prefixLength: prefixLength, width: width)
    }

    /// The shape of the first cell of `cells`, if any.
    static func of(_ cells: TextSegments) -> IDShape? {
        guard cells.count > 0, let p = (0..<cells.pieceCount).first(where: { !cells.rows(ofPiece: $0).isEmpty })
        else { return nil }
        let (s, n) = cells.cell(local: 0, inPiece: p)
        return of(s, n)
    }

    /// The number of the id `p[0..<n]` (0 ..< 10^18), or -1 when the id does not fit the shape.
    @inline(__always)
    func key(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        // Wrapping arithmetic where nothing can overflow (n >= 0, prefixLength <= 8): no trap tests
        // in a function called for every id of a table.
        let digits = n &- prefixLength
        if width > 0 {
            if digits != width { return -1 }
        } else if digits < 1 || digits > IDShape.maxDigits || (digits > 1 && p[prefixLength] == 48) {
            return -1
        }
        if prefixLength > 0 {
            var word: UInt64
            if n >= 8 {
                word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
                if prefixLength < 8 { word &= (1 &<< (8 &* UInt64(truncatingIfNeeded: prefixLength))) &- 1 }
            } else {
                word = 0
                for i in 0..<prefixLength { word |= UInt64(p[i]) << (8 * UInt64(i)) }
            }
            if word != prefix { return -1 }
        }
        if digits < 8 && n >= 8 {
            // Fewer than eight digits (`A0001234`): they are the top bytes of the word that ends
            // the id; with '0's in place of the prefix's bytes below them, the word is read as
            // eight digits at once.
            // 1 <= digits <= 7 here.
            let w = UInt64(littleEndian: UnsafeRawPointer(p + (n &- 8)).loadUnaligned(as: UInt64.self))
            let below: UInt64 = (1 &<< UInt64(truncatingIfNeeded: 8 &* (8 &- digits))) &- 1
            return IDShape.eightDigits(word: w & ~below | 0x3030_3030_3030_3030 & below)
        }
        var v = 0
        var i = prefixLength
        while i &+ 8 <= n {
            let eight = IDShape.eightDigits(p + i)
            if eight < 0 { return -1 }
            v = v &* 100_000_000 &+ eight
            i &+= 8
        }
        while i < n {
            let d = p[i] &- 48
            if d > 9 { return -1 }
            v = v &* 10 &+ Int(d)
            i &+= 1
        }
        return v
    }

    /// The number of the eight decimal digits at `p`, read as one word; -1 when a byte is no digit.
    @inline(__always)
    static func eightDigits(_ p: UnsafePointer<UInt8>) -> Int {
        eightDigits(word: UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)))
    }

    /// The number of the eight decimal digits in `w` (the first in its lowest byte); -1 when a
    /// byte is no digit.
    @inline(__always)
    static func eightDigits(word w: UInt64) -> Int {
        // Every byte in 0x30...0x3F, and still below 0x40 with 6 added: 0x30...0x39.
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let zeros: UInt64 = 0x3030_3030_3030_3030
        guard w & high == zeros && (w &+ 0x0606_0606_0606_0606) & high == zeros else { return -1 }
        // The first digit is the lowest byte: pairs, then fours, then all eight.
        var v = w &- zeros
        v = (v &* 10 &+ (v >> 8)) & 0x00FF_00FF_00FF_00FF
        v = (v &* 100 &+ (v >> 16)) & 0x0000_FFFF_0000_FFFF
        v = (v &* 10000 &+ (v >> 32)) & 0xFFFF_FFFF
        return Int(v)
    }

    /// `range(of:_:)`, each cell's key written to `keys[row]` (rows numbered across pieces,
    /// `cells.count` of them) as long as the keys fit 32 bits; `kept`: whether they all did.
    static func range(
        of cells: TextSegments, _ shape: IDShape, keeping keys: UnsafeMutablePointer<UInt32>
    ) -> (range: ClosedRange<Int>, kept: Bool)? {
        keyRange(of: cells, shape, keeping: keys)
    }

    /// Every cell's key: their range, or `nil` when a cell does not fit.
    static func range(of cells: TextSegments, _ shape: IDShape) -> ClosedRange<Int>? {
        keyRange(of: cells, shape, keeping: nil)?.range
    }

    /// Both `range` functions: the keys are written when `keys` is given.
    private static func keyRange(
        of cells: TextSegments, _ shape: IDShape, keeping keys: UnsafeMutablePointer<UInt32>?
    ) -> (range: ClosedRange<Int>, kept: Bool)? {
        var low = Int.max
        var high = -1
        var fits = true
        var kept = true
        for p in 0..<cells.pieceCount where fits {
            let b = cells.bytes[p]
            let e = cells.ends[p]
            let out = keys.map { $0 + cells.starts[p] }
            var start = 0
            for local in 0..<cells.rows(ofPiece: p).count {
                let end = Int(e[local])
                let k = shape.key(b + start, end - start)
                if k < 0 {
                    fits = false
                    break
                }
                low = min(low, k)
                high = max(high, k)
                if let out {
                    if k > Int(UInt32.max) { kept = false }
                    out[local] = UInt32(truncatingIfNeeded: k)
                }
                start = end
            }
        }
        return fits && high >= 0 ? (low...high, kept) : nil
    }
}
