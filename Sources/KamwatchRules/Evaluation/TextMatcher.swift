import KamwatchVocabulary

/// Case-insensitive text tests straight on UTF-8 bytes, with a fast path for ASCII.
struct TextMatcher: Sendable {
    private enum Mode: Sendable { case equals, contains, regex }

    private let mode: Mode
    /// Lower-cased needles, as text and as bytes.
    private let needles: [String]
    private let needleBytes: [[UInt8]]
    /// The needles that are all ASCII: the only ones an ASCII text can equal or contain.
    private let asciiNeedles: [[UInt8]]
    /// Bit i set when an ASCII needle is i bytes long (bit 63: 63 bytes or longer): an ASCII
    /// text of another length equals none of them.
    private let asciiLengths: UInt64
    private let regex: RegexBox?

    /// The whole text equals one of `values`, ignoring case.
    init(equals values: [String]) {
        mode = .equals
        needles = values.map { $0.lowercased() }
        needleBytes = needles.map { Array($0.utf8) }
        asciiNeedles = needleBytes.filter { $0.allSatisfy { $0 < 0x80 } }
        asciiLengths = asciiNeedles.reduce(0) { $0 | TextMatcher.lengthBit($1.count) }
        regex = nil
    }

    /// The text contains one of `alternatives`, ignoring case.
    init(alternatives: [String]) {
        mode = .contains
        needles = alternatives.map { $0.lowercased() }
        needleBytes = needles.map { Array($0.utf8) }
        asciiNeedles = needleBytes.filter { $0.allSatisfy { $0 < 0x80 } }
        asciiLengths = ~0
        regex = nil
    }

    /// The text matches a regular expression somewhere, ignoring case.
    init(regex source: String) {
        mode = .regex
        needles = []
        needleBytes = []
        asciiNeedles = []
        asciiLengths = ~0
        regex = RegexBox(source)
    }

    func test(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        if mode == .regex { return regex!.matches(String(decoding: cell, as: UTF8.self)) }
        // ASCII text (tiers, event types, most roles) is compared as it is, folding on the way.
        var any: UInt8 = 0
        for b in cell { any |= b }
        if any < 0x80 {
            if asciiLengths & TextMatcher.lengthBit(cell.count) == 0 { return false }
            for n in asciiNeedles
            where mode == .equals ? TextMatcher.foldedEqual(cell, n) : TextMatcher.foldedContains(cell, n) {
                return true
            }
            return false
        }
        // ASCII and Cyrillic (most CRM text here) are folded byte by byte, as `lowercased()`
        // folds them; any other text goes through `lowercased()` itself.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(cell.count, 1)) { buffer in
            if TextMatcher.fold(cell, into: buffer.baseAddress!) {
                return matches(UnsafeBufferPointer(rebasing: buffer[0..<cell.count]))
            }
            let lower = Array(String(decoding: cell, as: UTF8.self).lowercased().utf8)
            return lower.withUnsafeBufferPointer { matches($0) }
        }
    }

    /// Whether lower-cased `text` equals or contains (by mode) one of the needles.
    private func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        for n in needleBytes {
            if mode == .equals ? text.elementsEqual(n) : TextMatcher.contains(text, n) { return true }
        }
        return false
    }

    /// Lower-cases `cell` into `out` (as many bytes) when it holds only ASCII and basic Cyrillic
    /// (U+0400–U+045F); `false` for any other text.
    static func fold(_ cell: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        var i = 0
        let n = cell.count
        while i < n {
            let b = cell[i]
            if b < 0x80 {
                out[i] = b &- 65 < 26 ? b | 0x20 : b
                i += 1
                continue
            }
            guard i + 1 < n else { return false }
            let c = cell[i + 1]
            switch (b, c) {
            case (0xD0, 0x80...0x8F):  // Ѐ–Џ → ѐ–џ
                out[i] = 0xD1
                out[i + 1] = c + 0x10
            case (0xD0, 0x90...0x9F):  // А–П → а–п
                out[i] = 0xD0
                out[i + 1] = c + 0x20
            case (0xD0, 0xA0...0xAF):  // Р–Я → р–я
                out[i] = 0xD1
                out[i + 1] = c - 0x20
            case (0xD0, 0xB0...0xBF), (0xD1, 0x80...0x9F):  // already lower case
                out[i] = b
                out[i + 1] = c
            default:
                return false
            }
            i += 2
        }
        return true
    }

    @inline(__always)
    private static func lengthBit(_ n: Int) -> UInt64 { 1 << UInt64(Swift.min(n, 63)) }

    @inline(__always)
    private static func fold(_ b: UInt8) -> UInt8 { b &- 65 < 26 ? b | 0x20 : b }

    /// ASCII `cell` equals lower-case `n`, ignoring case.
    private static func foldedEqual(_ cell: UnsafeBufferPointer<UInt8>, _ n: [UInt8]) -> Bool {
        guard cell.count == n.count else { return false }
        for i in 0..<n.count where fold(cell[i]) != n[i] { return false }
        return true
    }

    /// ASCII `cell` contains lower-case `n`, ignoring case.
    private static func foldedContains(_ cell: UnsafeBufferPointer<UInt8>, _ n: [UInt8]) -> Bool {
        if n.isEmpty { return true }
        if cell.count < n.count { return false }
        outer: for start in 0...(cell.count - n.count) {
            for j in 0..<n.count where fold(cell[start + j]) != n[j] { continue outer }
            return true
        }
        return false
    }

    private static func contains(_ text: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        let m = needle.count
        if m == 0 { return true }
        if text.count < m { return false }
        return needle.withUnsafeBufferPointer { needle in
            let first = needle[0]
            var start = 0
            let last = text.count - m
            while start <= last {
                if text[start] == first {
                    var j = 1
                    while j < m && text[start + j] == needle[j] { j += 1 }
                    if j == m { return true }
                }
                start += 1
            }
            return false
        }
    }
}

/// A compiled, case-insensitive regular expression shared by the evaluation workers.
final class RegexBox: @unchecked Sendable {
    // Unchecked Sendable: `Regex<AnyRegexOutput>` is not Sendable, but it is never mutated once built.
    private let regex: Regex<AnyRegexOutput>?

    init(_ source: String) { regex = try? Regex(source).ignoresCase() }

    func matches(_ s: String) -> Bool {
        guard let regex else { return false }
        return (try? regex.firstMatch(in: s)) != nil
    }
}
