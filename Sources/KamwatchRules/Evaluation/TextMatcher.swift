/// Case-insensitive text tests straight on UTF-8 bytes, with a fast path for ASCII.
struct TextMatcher: Sendable {
    private enum Mode: Sendable { case equals, contains, regex }

    private let mode: Mode
    /// Lower-cased needles, as text and as bytes.
    private let needles: [String]
    private let needleBytes: [[UInt8]]
    private let regex: RegexBox?

    /// The whole text equals one of `values`, ignoring case.
    init(equals values: [String]) {
        mode = .equals
        needles = values.map { $0.lowercased() }
        needleBytes = needles.map { Array($0.utf8) }
        regex = nil
    }

    /// The text contains one of `alternatives`, ignoring case.
    init(alternatives: [String]) {
        mode = .contains
        needles = alternatives.map { $0.lowercased() }
        needleBytes = needles.map { Array($0.utf8) }
        regex = nil
    }

    /// The text matches a regular expression somewhere, ignoring case.
    init(regex source: String) {
        mode = .regex
        needles = []
        needleBytes = []
        regex = RegexBox(source)
    }

    func test(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        if mode == .regex { return regex!.matches(String(decoding: cell, as: UTF8.self)) }
        let ascii = !cell.contains { $0 >= 0x80 }
        if ascii {
            for n in needleBytes where isASCII(n) {
                if mode == .equals ? foldedEqual(cell, n) : foldedContains(cell, n) { return true }
            }
            return false
        }
        let lower = Array(String(decoding: cell, as: UTF8.self).lowercased().utf8)
        return lower.withUnsafeBufferPointer { l in
            needleBytes.contains { n in mode == .equals ? l.elementsEqual(n) : foldedContains(l, n) }
        }
    }

    private func isASCII(_ n: [UInt8]) -> Bool { !n.contains { $0 >= 0x80 } }

    @inline(__always)
    private func fold(_ b: UInt8) -> UInt8 { b &- 65 < 26 ? b | 0x20 : b }

    private func foldedEqual(_ cell: UnsafeBufferPointer<UInt8>, _ n: [UInt8]) -> Bool {
        guard cell.count == n.count else { return false }
        for i in 0..<n.count where fold(cell[i]) != n[i] { return false }
        return true
    }

    private func foldedContains(_ cell: UnsafeBufferPointer<UInt8>, _ n: [UInt8]) -> Bool {
        if n.isEmpty { return true }
        if cell.count < n.count { return false }
        outer: for start in 0...(cell.count - n.count) {
            for j in 0..<n.count where fold(cell[start + j]) != n[j] { continue outer }
            return true
        }
        return false
    }
}

/// A compiled, case-insensitive regular expression shared by the evaluation workers.
final class RegexBox: @unchecked Sendable {
    // Regex values are immutable once built; matching does not mutate them.
    private let regex: Regex<AnyRegexOutput>?

    init(_ source: String) { regex = try? Regex(source).ignoresCase() }

    func matches(_ s: String) -> Bool {
        guard let regex else { return false }
        return (try? regex.firstMatch(in: s)) != nil
    }
}
