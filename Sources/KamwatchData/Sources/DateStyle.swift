import CScan
import KamwatchVocabulary

/// `dates:` of a block: how its date cells are written (SPEC §6).
public enum DateStyle: String, Sendable, CaseIterable {
    /// SPEC §1: `YYYY-MM-DD` or `DD.MM.YYYY`, optionally with a time.
    case auto
    /// `D.M.YYYY`, `DD.MM.YYYY`, `DD-MM-YYYY`, `DD/MM/YYYY`, each with an optional `H:MM[:SS]`.
    case dmy
    /// `M/D/YYYY`, with an optional `h:mm[:ss] [AM|PM]`.
    case mdy
    /// `YYYY-MM-DD` and ISO date-times.
    case ymd

    /// The day a trimmed, non-empty cell names.
    func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Result<Int32, CellParser.DateError> {
        switch self {
        case .auto: return CellParser.date(p, n)
        case .ymd:
            guard n >= 10, p[4] == UInt8(ascii: "-") else { return .failure(.syntax) }
            return CellParser.date(p, n)
        case .dmy, .mdy:
            var i = 0
            guard let a = DateStyle.digits(p, n, &i, max: 2), i < n else { return .failure(.syntax) }
            let sep = p[i]
            // `.`, `-` or `/` (an array here would be allocated per cell).
            let known = self == .dmy ? sep == 0x2E || sep == 0x2D || sep == 0x2F : sep == 0x2F
            guard known else { return .failure(.syntax) }
            i += 1
            guard let b = DateStyle.digits(p, n, &i, max: 2), i < n, p[i] == sep else { return .failure(.syntax) }
            i += 1
            let yearStart = i
            guard let year = DateStyle.digits(p, n, &i, max: 4), i - yearStart == 4 else { return .failure(.syntax) }
            if i < n {
                guard p[i] == UInt8(ascii: " "), DateStyle.isTime(p + i + 1, n - i - 1, ampm: self == .mdy) else {
                    return .failure(.syntax)
                }
            }
            let (day, month) = self == .dmy ? (a, b) : (b, a)
            guard let d = Day(year: year, month: month, day: day) else { return .failure(.noSuchDay) }
            return .success(d.ordinal)
        }
    }

    /// `parse` of a cell with 32 bytes readable from `p` (in a reader's buffer or a decoder's
    /// scratch): a plain `DD.MM.YYYY[ HH:MM[:SS]]` read at once (`kw_dmy_date`, SSE2) for `dmy`,
    /// `CellParser.datePadded` for `auto` and `ymd`; the same day, or the same error.
    @inline(__always)
    func parsePadded(_ p: UnsafePointer<UInt8>, _ n: Int) -> Result<Int32, CellParser.DateError> {
        switch self {
        case .dmy:
            var year: Int32 = 0
            var month: Int32 = 0
            var day: Int32 = 0
            if kw_dmy_date(p, n, &year, &month, &day) != 0,
                case .success(let d) = CellParser.calendarDay(Int(year), Int(month), Int(day))
            {
                return .success(d)
            }
            return parse(p, n)
        case .auto: return CellParser.datePadded(p, n)
        case .ymd:
            guard n >= 10, p[4] == UInt8(ascii: "-") else { return .failure(.syntax) }
            return CellParser.datePadded(p, n)
        case .mdy: return parse(p, n)
        }
    }

    /// What a cell of this style looks like, for reports.
    var expected: String {
        switch self {
        case .auto: "YYYY-MM-DD or DD.MM.YYYY"
        case .dmy: "DD.MM.YYYY"
        case .mdy: "M/D/YYYY"
        case .ymd: "YYYY-MM-DD"
        }
    }

    private static func digits(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, max: Int) -> Int? {
        var v = 0
        let start = i
        while i < n, i - start < max, p[i] >= 0x30, p[i] <= 0x39 {
            v = v * 10 + Int(p[i] - 0x30)
            i += 1
        }
        return i > start ? v : nil
    }

    /// `H:MM[:SS]`, and with `ampm` an optional ` AM` / ` PM`.
    private static func isTime(_ p: UnsafePointer<UInt8>, _ n: Int, ampm: Bool) -> Bool {
        var i = 0
        guard let h = digits(p, n, &i, max: 2), h < 24, i < n, p[i] == UInt8(ascii: ":") else { return false }
        i += 1
        let minuteStart = i
        guard let m = digits(p, n, &i, max: 2), i - minuteStart == 2, m < 60 else { return false }
        if i < n, p[i] == UInt8(ascii: ":") {
            i += 1
            let secondStart = i
            guard digits(p, n, &i, max: 2) != nil, i - secondStart == 2 else { return false }
        }
        if ampm, i + 3 == n, p[i] == UInt8(ascii: " ") {
            let a = p[i + 1] | 0x20
            return (a == UInt8(ascii: "a") || a == UInt8(ascii: "p")) && p[i + 2] | 0x20 == UInt8(ascii: "m")
        }
        return i == n
    }
}
