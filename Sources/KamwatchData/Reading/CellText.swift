import KamwatchVocabulary

/// Byte-level helpers for one cell's text.
enum CellText {
    /// Removes quoting: `"a""b"` becomes `a"b`; text outside quotes is kept as it is.
    static func unquote(_ p: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        var o = 0
        var i = 0
        var quoted = false
        while i < n {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                if quoted && i + 1 < n && p[i + 1] == UInt8(ascii: "\"") {
                    dst[o] = c
                    o += 1
                    i += 2
                    continue
                }
                quoted.toggle()
                i += 1
                continue
            }
            dst[o] = c
            o += 1
            i += 1
        }
        return o
    }

    /// Trims spaces, tabs, CR, U+00A0 and U+202F at both ends.
    @inline(__always)
    static func trim(_ p: inout UnsafePointer<UInt8>, _ n: inout Int) {
        while n > 0 {
            let c = p[0]
            if c == 0x20 || c == 0x09 || c == 0x0D {
                p += 1
                n -= 1
            } else if c == 0xC2 && n >= 2 && p[1] == 0xA0 {
                p += 2
                n -= 2
            } else if c == 0xE2 && n >= 3 && p[1] == 0x80 && p[2] == 0xAF {
                p += 3
                n -= 3
            } else {
                break
            }
        }
        while n > 0 {
            let c = p[n - 1]
            if c == 0x20 || c == 0x09 || c == 0x0D {
                n -= 1
            } else if c == 0xA0 && n >= 2 && p[n - 2] == 0xC2 {
                n -= 2
            } else if c == 0xAF && n >= 3 && p[n - 3] == 0xE2 && p[n - 2] == 0x80 {
                n -= 3
            } else {
                break
            }
        }
    }

    /// Whether a raw cell holds anything but blanks and quotes.
    static func hasContent(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var q = p
        var m = n
        trim(&q, &m)
        for i in 0..<m where q[i] != UInt8(ascii: "\"") && q[i] != 0x20 && q[i] != 0x09 { return true }
        return false
    }

    /// The cell as text for a message, shortened when long.
    static func show(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        quoted(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
    }

    /// `"text"` for a message, shortened when long.
    static func quoted(_ text: String) -> String {
        if text.count > 60 { return "\"" + text.prefix(57) + "...\"" }
        return "\"" + text + "\""
    }

    static func numberReason(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ e: CellParser.NumberError, dialect: CSVDialect
    ) -> String {
        let shown = show(p, n)
        switch e {
        case .decimalCommaNotAllowed:
            return "invalid number \(shown) (decimal comma is only accepted in ';' files)"
        case .twoDecimalMarks:
            return "invalid number \(shown) (more than one decimal mark; thousands are separated by spaces)"
        case .badGroup:
            return "invalid number \(shown) (thousands groups must have exactly 3 digits)"
        case .outOfRange:
            return "invalid number \(shown) (too large: beyond about 1.8e308)"
        case .syntax:
            return dialect.decimalComma
                ? "invalid number \(shown) (expected digits with an optional sign and '.' or ',' decimal mark)"
                : "invalid number \(shown) (expected digits with an optional sign and '.' decimal mark)"
        }
    }

    static func dateReason(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ e: CellParser.DateError, style: DateStyle = .auto
    ) -> String {
        switch e {
        case .syntax: "invalid date \(show(p, n)) (expected \(style.expected))"
        case .noSuchDay: "invalid date \(show(p, n)) (no such date)"
        }
    }
}
