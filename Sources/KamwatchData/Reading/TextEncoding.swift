import KamwatchVocabulary

/// The text encoding a data file was read in (decided per decompressed file).
public enum TextEncoding: String, Sendable, Hashable {
    case utf8 = "UTF-8"
    case utf8WithBOM = "UTF-8 with BOM"
    case windows1251 = "Windows-1251"
}

/// Checks UTF-8 validity block by block, so that a file is read in one pass when it is valid.
enum UTF8Check {
    /// Where validation stopped: `valid(upTo:)` leaves an incomplete trailing sequence for the
    /// next block; `invalid` means the file is not UTF-8.
    enum Outcome: Equatable {
        case valid(upTo: Int)
        case invalid
    }

    /// Validates `base[start..<end]`; at the end of the input an incomplete sequence is invalid.
    static func validate(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, atEnd: Bool) -> Outcome {
        var i = start
        while i < end {
            // Runs of ASCII are the common case: eight bytes at a time, and once eight were
            // ASCII, 64 at a time (four 16-byte vectors OR-ed together: no high bit set). Mixed
            // text (Cyrillic words between ASCII) pays only the eight-byte test.
            if end - i >= 8 {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    while end - i >= 64 {
                        let p = UnsafeRawPointer(base + i)
                        let a =
                            p.loadUnaligned(as: SIMD2<UInt64>.self)
                            | p.loadUnaligned(fromByteOffset: 16, as: SIMD2<UInt64>.self)
                        let b =
                            p.loadUnaligned(fromByteOffset: 32, as: SIMD2<UInt64>.self)
                            | p.loadUnaligned(fromByteOffset: 48, as: SIMD2<UInt64>.self)
                        let c = a | b
                        if (c[0] | c[1]) & 0x8080_8080_8080_8080 != 0 { break }
                        i += 64
                    }
                    continue
                }
            }
            let c = base[i]
            if c < 0x80 {
                i += 1
                continue
            }
            // Runs of two-byte sequences (Cyrillic words): four at a time while every even
            // byte is a lead byte C2...DF and every odd byte a continuation byte.
            var j = i
            while end - j >= 16 {
                // The same test on two words at once (one 16-byte vector).
                let w = UnsafeRawPointer(base + j).loadUnaligned(as: SIMD2<UInt64>.self)
                let shape = (w & 0xC0E0_C0E0_C0E0_C0E0) ^ 0x80C0_80C0_80C0_80C0
                let leads = (w & 0x001E_001E_001E_001E) | 0x8000_8000_8000_8000
                let overlong = ((leads &- 0x0001_0001_0001_0001) & 0x8000_8000_8000_8000) ^ 0x8000_8000_8000_8000
                let bad = shape | overlong
                if bad[0] | bad[1] != 0 { break }
                j += 16
            }
            while end - j >= 8 {
                let word = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
                // Little-endian: byte 0 is the lowest. Leads are 110xxxxx, continuations 10xxxxxx.
                guard word & 0xC0E0_C0E0_C0E0_C0E0 == 0x80C0_80C0_80C0_80C0 else { break }
                // A lead of C0 or C1 (overlong) has no bit of 0x1E set: then its lane of
                // `(lead & 0x1E) | 0x8000` minus 1 loses the 0x8000.
                let leads = (word & 0x001E_001E_001E_001E) | 0x8000_8000_8000_8000
                guard (leads &- 0x0001_0001_0001_0001) & 0x8000_8000_8000_8000 == 0x8000_8000_8000_8000 else { break }
                j += 8
            }
            if j > i {
                i = j
                continue
            }
            // Two-byte sequences (Cyrillic, U+00A0) are the common non-ASCII case.
            if c >= 0xC2 && c <= 0xDF && i + 1 < end {
                if base[i + 1] & 0xC0 != 0x80 { return .invalid }
                i += 2
                continue
            }
            let need: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lower = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: need = 2
            case 0xED: need = 2; upper = 0x9F
            case 0xF0: need = 3; lower = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; upper = 0x8F
            default: return .invalid
            }
            if i + need >= end {
                // The sequence runs past the block: check what is there, decide later.
                var j = i + 1
                var first = true
                while j < end {
                    let b = base[j]
                    if first ? (b < lower || b > upper) : (b < 0x80 || b > 0xBF) { return .invalid }
                    first = false
                    j += 1
                }
                return atEnd ? .invalid : .valid(upTo: i)
            }
            let b1 = base[i + 1]
            if b1 < lower || b1 > upper { return .invalid }
            var k = 2
            while k <= need {
                let b = base[i + k]
                if b < 0x80 || b > 0xBF { return .invalid }
                k += 1
            }
            i += need + 1
        }
        return .valid(upTo: end)
    }
}

/// Windows-1251 to UTF-8, one table entry per byte value.
enum Windows1251 {
    /// Unicode scalars of bytes 0x80...0xBF (0x98 is unassigned and becomes U+FFFD);
    /// 0xC0...0xFF are U+0410...U+044F.
    private static let high: [UInt32] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
        0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
        0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
        0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
    ]

    /// For each byte value: its UTF-8 bytes packed little-endian, and their count (1...3).
    static let table: [(packed: UInt32, count: UInt8)] = (0..<256).map { byte -> (UInt32, UInt8) in
        let scalar: UInt32
        if byte < 0x80 {
            return (UInt32(byte), 1)
        } else if byte < 0xC0 {
            scalar = high[byte - 0x80]
        } else {
            scalar = 0x0410 + UInt32(byte - 0xC0)
        }
        var packed: UInt32 = 0
        var count: UInt8 = 0
        for unit in String(Character(Unicode.Scalar(scalar)!)).utf8 {
            packed |= UInt32(unit) << (8 * UInt32(count))
            count += 1
        }
        return (packed, count)
    }

    /// `table` as one word per byte value: the packed UTF-8 in the low three bytes, the count
    /// in the high one (one load per byte instead of two).
    private static let words: [UInt32] = table.map { $0.packed | UInt32($0.count) << 24 }

    /// `words` at a fixed address, for loops that take it once.
    nonisolated(unsafe) static let wordTable: UnsafePointer<UInt32> = {
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
        table.initialize(from: words, count: 256)
        return UnsafePointer(table)
    }()

    /// Converts one short cell, `count` bytes at `input`, to UTF-8 at `output` (room for
    /// `3 * count + 1` bytes: each byte stores four, the last of them overwritten or spare);
    /// returns the number of bytes written. `table` is `wordTable`.
    @inline(__always)
    static func convertCell(
        _ input: UnsafePointer<UInt8>, count: Int, to output: UnsafeMutablePointer<UInt8>, table: UnsafePointer<UInt32>
    ) -> Int {
        let raw = UnsafeMutableRawPointer(output)
        var o = 0
        var i = 0
        while i < count {
            let word = table[Int(input[i])]
            raw.storeBytes(of: word, toByteOffset: o, as: UInt32.self)
            o &+= Int(truncatingIfNeeded: word >> 24)
            i &+= 1
        }
        return o
    }

    /// Converts `count` bytes at `input` to UTF-8 at `output` (room for `3 * count` bytes);
    /// returns the number of bytes written.
    static func convert(_ input: UnsafePointer<UInt8>, count: Int, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var o = 0
        var i = 0
        let raw = UnsafeMutableRawPointer(output)
        let source = UnsafeRawPointer(input)
        words.withUnsafeBufferPointer { t in
            let t = t.baseAddress!
            // Sixteen or eight ASCII bytes are copied as they are; any other byte stores its
            // packed UTF-8 as four bytes at once (the fourth, its count, is overwritten by the
            // next byte or lies past the output's end; room stays: each byte has three, and the
            // last byte goes through the loop below).
            while count - i > 16 {
                let pair = source.loadUnaligned(fromByteOffset: i, as: SIMD2<UInt64>.self)
                if (pair[0] | pair[1]) & 0x8080_8080_8080_8080 == 0 {
                    raw.storeBytes(of: pair, toByteOffset: o, as: SIMD2<UInt64>.self)
                    i &+= 16
                    o &+= 16
                    continue
                }
                if pair[0] & 0x8080_8080_8080_8080 == 0 {
                    raw.storeBytes(of: pair[0], toByteOffset: o, as: UInt64.self)
                    i &+= 8
                    o &+= 8
                }
                for _ in 0..<8 {
                    let word = t[Int(input[i])]
                    raw.storeBytes(of: word, toByteOffset: o, as: UInt32.self)
                    o &+= Int(truncatingIfNeeded: word >> 24)
                    i &+= 1
                }
            }
            while i < count {
                var word = t[Int(input[i])]
                for _ in 0..<(word >> 24) {
                    output[o] = UInt8(truncatingIfNeeded: word)
                    word >>= 8
                    o += 1
                }
                i += 1
            }
        }
        return o
    }

    /// Whether `p[0..<n]` holds a byte that is not ASCII (one that needs converting).
    @inline(__always)
    static func hasHighBytes(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let raw = UnsafeRawPointer(p)
        if n >= 8 {
            var i = 0
            while n - i > 8 {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return true }
                i &+= 8
            }
            return raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) & 0x8080_8080_8080_8080 != 0
        }
        if n >= 4 {
            return (raw.loadUnaligned(as: UInt32.self) | raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
                & 0x8080_8080 != 0
        }
        var i = 0
        while i < n {
            if p[i] >= 0x80 { return true }
            i &+= 1
        }
        return false
    }

    /// Whether `p[0..<n]` holds a quote (bit 0 of the result) and a byte that is not ASCII
    /// (bit 1), in one pass by words, the last one overlapping the one before.
    @inline(__always)
    static func quotesAndHighBytes(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        let raw = UnsafeRawPointer(p)
        // A zero byte of the word XOR-ed with quotes is a quote (exact as to whether there is one).
        var quotes: UInt64 = 0
        var high: UInt64 = 0
        @inline(__always) func add(_ x: UInt64) {
            let y = x ^ 0x2222_2222_2222_2222
            quotes |= (y &- 0x0101_0101_0101_0101) & ~y
            high |= x
        }
        if n >= 8 {
            var i = 0
            while n - i > 8 {
                add(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i &+= 8
            }
            add(raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        } else if n >= 4 {
            // Two overlapping halves, each alone in a word (its upper bytes spaces: neither quotes
            // nor high).
            add(UInt64(raw.loadUnaligned(as: UInt32.self)) | 0x2020_2020_0000_0000)
            add(UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) | 0x2020_2020_0000_0000)
        } else {
            var i = 0
            while i < n {
                if p[i] == UInt8(ascii: "\"") { quotes = 0x80 }
                high |= UInt64(p[i])
                i &+= 1
            }
        }
        return (quotes & 0x8080_8080_8080_8080 != 0 ? 1 : 0) | (high & 0x8080_8080_8080_8080 != 0 ? 2 : 0)
    }

    /// `CellText.hasContent` of the cell's UTF-8, read from its Windows-1251 bytes: blanks at
    /// its ends are spaces, tabs, CR and 0xA0 (U+00A0; U+202F has no byte here).
    static func hasContent(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var start = 0
        var end = n
        @inline(__always) func blank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0xA0 }
        while start < end && blank(p[start]) { start += 1 }
        while end > start && blank(p[end - 1]) { end -= 1 }
        for i in start..<end where p[i] != UInt8(ascii: "\"") && p[i] != 0x20 && p[i] != 0x09 { return true }
        return false
    }
}
