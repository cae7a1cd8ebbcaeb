import Foundation
import GRDB
import KamwatchVocabulary

/// Reading back what `StoredJSON` writes, without `JSONDecoder`: a restart loads every open
/// alert (tens of thousands on a large book), and decoding each one's evidence through
/// `Codable` was most of that load.
///
/// Each reader accepts exactly the text the writer produces (no whitespace, keys in the written
/// order, only JSON's own escapes, finite numbers) and returns `nil` for anything else: the
/// caller then decodes the text with `JSONDecoder` as before, so that rows written by an older
/// version (SQLite's `json_group_array` in migration v2) or edited by hand read as they always
/// did, errors included.
extension StoredJSON {
    /// `[["name",value],…]` as `Evidence`'s `Codable` form decodes it, or `nil` (see above).
    static func readEvidence(_ bytes: UnsafeRawBufferPointer) -> Evidence? {
        var r = Reader(bytes)
        guard r.take(UInt8(ascii: "[")) else { return nil }
        var evidence = Evidence()
        if r.take(UInt8(ascii: "]")) { return r.atEnd ? evidence : nil }
        repeat {
            guard r.take(UInt8(ascii: "[")), let key = r.string(), r.take(UInt8(ascii: ",")),
                let value = r.evidenceValue(), r.take(UInt8(ascii: "]"))
            else { return nil }
            evidence.append(key, value)
        } while r.take(UInt8(ascii: ","))
        guard r.take(UInt8(ascii: "]")), r.atEnd else { return nil }
        return evidence
    }

    /// `{"en":…,"ru":…}` as `LocalizedText`'s `Codable` form decodes it, or `nil` (see above).
    static func readLocalized(_ bytes: UnsafeRawBufferPointer) -> LocalizedText? {
        var r = Reader(bytes)
        guard r.take(UInt8(ascii: "{")), r.string() == "en", r.take(UInt8(ascii: ":")), let en = r.string(),
            r.take(UInt8(ascii: ",")), r.string() == "ru", r.take(UInt8(ascii: ":")), let ru = r.string(),
            r.take(UInt8(ascii: "}")), r.atEnd
        else { return nil }
        return LocalizedText(en: en, ru: ru)
    }

    /// A cursor over the bytes of one JSON text.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var at = 0

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var atEnd: Bool { at == bytes.count }

        /// Consumes `byte` when it comes next.
        mutating func take(_ byte: UInt8) -> Bool {
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        /// Consumes `word` (`null`, `true`, `false`) when it comes next.
        mutating func take(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard bytes.count - at >= n else { return false }
            let w = UnsafeRawBufferPointer(start: word.utf8Start, count: n)
            for i in 0..<n where bytes[at + i] != w[i] { return false }
            at += n
            return true
        }

        /// A value as `EvidenceValue`'s decoder takes it: null, a bool, a number, a string.
        mutating func evidenceValue() -> EvidenceValue? {
            guard at < bytes.count else { return nil }
            switch bytes[at] {
            case UInt8(ascii: "n"): return take("null") ? .null : nil
            case UInt8(ascii: "t"): return take("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return take("false") ? .bool(false) : nil
            case UInt8(ascii: "\""): return string().map(EvidenceValue.text)
            default: return number().map(EvidenceValue.number)
            }
        }

        /// A number in JSON's grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`) that
        /// is finite and not rounded to zero as a double; `nil` otherwise (an overflow or an
        /// underflow, which the writer never produces, is left to `JSONDecoder`).
        mutating func number() -> Double? {
            let start = at
            _ = take(UInt8(ascii: "-"))
            if take(UInt8(ascii: "0")) {
                // No leading zeros.
            } else {
                guard digits() else { return nil }
            }
            if take(UInt8(ascii: ".")) { guard digits() else { return nil } }
            let mantissaEnd = at
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard digits() else { return nil }
            }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
            guard let d = Double(text), d.isFinite else { return nil }
            if d == 0,
                bytes[start..<mantissaEnd].contains(where: { (UInt8(ascii: "1")...UInt8(ascii: "9")).contains($0) })
            {
                return nil
            }
            return d
        }

        /// One or more digits.
        private mutating func digits() -> Bool {
            let start = at
            while at < bytes.count, bytes[at] &- UInt8(ascii: "0") < 10 { at += 1 }
            return at > start
        }

        /// A string literal with JSON's escapes (a lone surrogate, a raw control character or
        /// invalid UTF-8 gives `nil`).
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = at
            // The common case, no escape: the bytes as they are.
            while at < bytes.count {
                let b = bytes[at]
                if b == UInt8(ascii: "\"") {
                    at += 1
                    return String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<at - 1]), as: UTF8.self)
                }
                if b == UInt8(ascii: "\\") || b < 0x20 { break }
                at += 1
            }
            var out = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<at]))
            while at < bytes.count {
                let b = bytes[at]
                at += 1
                switch b {
                case UInt8(ascii: "\""):
                    return String(validating: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard at < bytes.count else { return nil }
                    let e = bytes[at]
                    at += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeEscape() else { return nil }
                        out.append(contentsOf: String(Character(scalar)).utf8)
                    default: return nil
                    }
                default:
                    if b < 0x20 { return nil }
                    out.append(b)
                }
            }
            return nil
        }

        /// The scalar of `\uXXXX` (the `\u` read), a surrogate pair taken whole.
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let high = hex4() else { return nil }
            if high < 0xD800 || high > 0xDFFF { return Unicode.Scalar(high) }
            guard high < 0xDC00, take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(),
                (0xDC00...0xDFFF).contains(low)
            else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }

        private mutating func hex4() -> UInt32? {
            guard bytes.count - at >= 4 else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[at]
                let d: UInt8
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
                default: return nil
                }
                v = v << 4 | UInt32(d)
                at += 1
            }
            return v
        }
    }
}
