import Foundation
import KamwatchRules

/// Reads a flat JSON object of scalars, keeping its keys in order (Foundation's parser forgets it).
struct FlatJSONParser {
    private var u: [UInt8]
    private var i = 0

    init(_ text: String) { u = Array(text.utf8) }

    mutating func parseObject() -> [(key: String, value: EvidenceValue)]? {
        var out: [(key: String, value: EvidenceValue)] = []
        skipSpace()
        guard take(UInt8(ascii: "{")) else { return nil }
        skipSpace()
        if take(UInt8(ascii: "}")) { return out }
        while true {
            skipSpace()
            guard let key = parseString() else { return nil }
            skipSpace()
            guard take(UInt8(ascii: ":")) else { return nil }
            skipSpace()
            guard let value = parseValue() else { return nil }
            out.append((key, value))
            skipSpace()
            if take(UInt8(ascii: ",")) { continue }
            return take(UInt8(ascii: "}")) ? out : nil
        }
    }

    private mutating func parseValue() -> EvidenceValue? {
        guard i < u.count else { return nil }
        switch u[i] {
        case UInt8(ascii: "\""): return parseString().map { .text($0) }
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        default:
            let start = i
            while i < u.count, "+-.0123456789eE".utf8.contains(u[i]) { i += 1 }
            return Double(String(decoding: u[start..<i], as: UTF8.self)).map { .number($0) }
        }
    }

    private mutating func parseString() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        var bytes: [UInt8] = []
        var pendingHigh: UInt32?
        while i < u.count {
            let c = u[i]
            i += 1
            if c == UInt8(ascii: "\"") { return String(decoding: bytes, as: UTF8.self) }
            guard c == UInt8(ascii: "\\"), i < u.count else {
                bytes.append(c)
                continue
            }
            let e = u[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "u"):
                guard i + 4 <= u.count, let v = UInt32(String(decoding: u[i..<i + 4], as: UTF8.self), radix: 16)
                else { return nil }
                i += 4
                if (0xD800..<0xDC00).contains(v) {
                    pendingHigh = v
                    continue
                }
                var scalarValue = v
                if let high = pendingHigh, (0xDC00..<0xE000).contains(v) {
                    scalarValue = 0x10000 + ((high - 0xD800) << 10) + (v - 0xDC00)
                }
                pendingHigh = nil
                bytes.append(contentsOf: String(Unicode.Scalar(scalarValue).map(Character.init) ?? "\u{FFFD}").utf8)
            default: bytes.append(e)
            }
        }
        return nil
    }

    private mutating func literal(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= u.count, Array(u[i..<i + w.count]) == w else { return false }
        i += w.count
        return true
    }

    private mutating func take(_ c: UInt8) -> Bool {
        guard i < u.count, u[i] == c else { return false }
        i += 1
        return true
    }

    private mutating func skipSpace() {
        while i < u.count, u[i] == 0x20 || u[i] == 0x0A || u[i] == 0x0D || u[i] == 0x09 { i += 1 }
    }
}
