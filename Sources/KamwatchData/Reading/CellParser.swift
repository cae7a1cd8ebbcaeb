import CScan
import KamwatchVocabulary

/// Parses number and date cells straight from their (trimmed, non-empty) UTF-8 bytes.
enum CellParser {
    /// Why a number cell was rejected.
    enum NumberError: Error {
        case syntax
        case decimalCommaNotAllowed
        case twoDecimalMarks
        case badGroup
        /// Beyond the range of a `Double` (about 1.8e308): not infinity.
        case outOfRange
    }

    /// Why a date cell was rejected.
    enum DateError: Error {
        case syntax
        case noSuchDay
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A plain number: optional sign, `digits[.digits]`, at most 15 digits (the common case, and
    /// exact: both operands of the division are exactly representable, so one rounding); `nil`
    /// for anything else, which `number` then reads.
    @inline(__always)
    static func plainNumber(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        guard n <= 17 else { return nil }
        let negative = p[0] == UInt8(ascii: "-")
        var i = negative || p[0] == UInt8(ascii: "+") ? 1 : 0
        let intStart = i
        var m: UInt64 = 0
        while i < n {
            let d = p[i] &- 0x30
            if d > 9 { break }
            m = m &* 10 &+ UInt64(d)
            i &+= 1
        }
        let intCount = i &- intStart
        guard intCount > 0 else { return nil }
        var fracCount = 0
        if i < n {
            guard p[i] == UInt8(ascii: ".") else { return nil }
            i &+= 1
            let fracStart = i
            while i < n {
                let d = p[i] &- 0x30
                if d > 9 { return nil }
                m = m &* 10 &+ UInt64(d)
                i &+= 1
            }
            fracCount = i &- fracStart
            guard fracCount > 0 else { return nil }
        }
        guard intCount &+ fracCount <= 15 else { return nil }
        let v: Double
        switch fracCount {
        case 0: v = Double(m)
        case 1: v = Double(m) / 1e1
        case 2: v = Double(m) / 1e2
        default: v = Double(m) / powersOfTen[fracCount]
        }
        return negative ? -v : v
    }

    /// `plainNumber` of a cell with 32 bytes readable from `p` (in a reader's buffer or a
    /// decoder's scratch): eight digits at a time (`kw_plain_number`, SSE2), the same value.
    @inline(__always)
    static func plainNumberPadded(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        var value = 0.0
        return kw_plain_number(p, n, &value) != 0 ? value : nil
    }

    /// `DecimalComma.number` of a cell with 32 bytes readable from `p`: `[sign]digits[,digits]`
    /// of at most 15 digits (`kw_comma_number`, SSE2), the same value; `nil` for anything else.
    @inline(__always)
    static func commaNumberPadded(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        var value = 0.0
        return kw_comma_number(p, n, &value) != 0 ? value : nil
    }

    /// A number whose integer digits may be grouped by three (`26 695,94`, `1\u{00A0}234.5`) with a
    /// `.` (or, when `decimalComma`, `,`) mark and at most 15 digits (`kw_grouped_number`): the
    /// value `number` gives; `nil` for anything else, which `number` then reads.
    @inline(__always)
    static func groupedNumber(_ p: UnsafePointer<UInt8>, _ n: Int, decimalComma: Bool) -> Double? {
        var value = 0.0
        return kw_grouped_number(p, n, decimalComma ? 1 : 0, &value) != 0 ? value : nil
    }

    /// A decimal number: optional sign, digits optionally grouped by three with spaces,
    /// U+00A0 or U+202F, and a `.` (or, when `decimalComma`, `,`) decimal mark.
    static func number(_ p: UnsafePointer<UInt8>, _ n: Int, decimalComma: Bool) -> Result<Double, NumberError> {
        if let v = plainNumber(p, n) { return .success(v) }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") {
            negative = p[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        var significant = 0  // digits held in `mantissa`, leading zeros excluded
        var tooMany = false  // more digits than `mantissa` holds
        var intDigits = 0
        var fracDigits = 0
        var groupLen = 0  // integer digits since the last thousands separator
        var grouped = false
        var sawMark = false
        while i < n {
            let c = p[i]
            if c >= 0x30 && c <= 0x39 {
                let d = UInt64(c - 0x30)
                if significant < 19 {
                    if mantissa != 0 || d != 0 { significant += 1 }
                    mantissa = mantissa &* 10 &+ d
                } else {
                    tooMany = true
                }
                if sawMark {
                    fracDigits += 1
                } else {
                    intDigits += 1
                    groupLen += 1
                }
                i += 1
                continue
            }
            // Thousands separators: only between integer digits.
            var sepLen = 0
            if c == 0x20 {
                sepLen = 1
            } else if c == 0xC2 && i + 1 < n && p[i + 1] == 0xA0 {
                sepLen = 2
            } else if c == 0xE2 && i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0xAF {
                sepLen = 3
            }
            if sepLen > 0 {
                if sawMark || intDigits == 0 { return .failure(.badGroup) }
                if grouped ? groupLen != 3 : groupLen > 3 { return .failure(.badGroup) }
                grouped = true
                groupLen = 0
                i += sepLen
                // The next byte must be a digit.
                if i >= n || p[i] < 0x30 || p[i] > 0x39 { return .failure(.badGroup) }
                continue
            }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: ",") {
                if sawMark {
                    return .failure(.twoDecimalMarks)
                }
                if c == UInt8(ascii: ",") && !decimalComma {
                    // "1,5" in a comma file: tell the user why, unless it is plainly not a number.
                    return .failure(.decimalCommaNotAllowed)
                }
                sawMark = true
                i += 1
                continue
            }
            return .failure(.syntax)
        }
        if grouped && groupLen != 3 { return .failure(.badGroup) }
        if intDigits == 0 && fracDigits == 0 { return .failure(.syntax) }
        if sawMark && fracDigits == 0 { return .failure(.syntax) }
        let value: Double
        if !tooMany && significant <= 15 && fracDigits <= 22 {
            // Exact: both operands are exactly representable, so one rounding.
            value = Double(mantissa) / powersOfTen[fracDigits]
        } else {
            value = slowNumber(p, n) ?? .nan
            if value.isNaN { return .failure(.syntax) }
            if value.isInfinite { return .failure(.outOfRange) }
        }
        return .success(negative ? -value : value)
    }

    /// Rebuilds a plain `123.456` text (no sign, no separators) and lets the standard library
    /// round it; used only for more than 15 significant digits.
    private static func slowNumber(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        var text = ""
        for i in 0..<n {
            let c = p[i]
            if c >= 0x30 && c <= 0x39 {
                text.unicodeScalars.append(Unicode.Scalar(c))
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: ",") {
                text.append(".")
            }
        }
        return Double(text)
    }

    /// A day: `YYYY-MM-DD` or `DD.MM.YYYY`, optionally followed by `T` or a space and a time.
    static func date(_ p: UnsafePointer<UInt8>, _ n: Int) -> Result<Int32, DateError> {
        guard n >= 10 else { return .failure(.syntax) }
        if n > 10 && p[10] != UInt8(ascii: "T") && p[10] != UInt8(ascii: " ") {
            return .failure(.syntax)
        }
        @inline(__always) func digit(_ i: Int) -> Int {
            let d = Int(p[i]) &- 48
            return (d >= 0 && d <= 9) ? d : -1000
        }
        let year: Int
        let month: Int
        let day: Int
        if p[4] == UInt8(ascii: "-") && p[7] == UInt8(ascii: "-") {
            year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
            month = digit(5) * 10 + digit(6)
            day = digit(8) * 10 + digit(9)
        } else if p[2] == UInt8(ascii: ".") && p[5] == UInt8(ascii: ".") {
            day = digit(0) * 10 + digit(1)
            month = digit(3) * 10 + digit(4)
            year = digit(6) * 1000 + digit(7) * 100 + digit(8) * 10 + digit(9)
        } else {
            return .failure(.syntax)
        }
        return calendarDay(year, month, day)
    }

    /// `date` of a cell with 16 bytes readable from `p` (in a reader's buffer or a decoder's
    /// scratch): a plain `YYYY-MM-DD` or `DD.MM.YYYY` read at once (`kw_iso_date`,
    /// `kw_dmy_date`, SSE2), the same day.
    @inline(__always)
    static func datePadded(_ p: UnsafePointer<UInt8>, _ n: Int) -> Result<Int32, DateError> {
        var year: Int32 = 0
        var month: Int32 = 0
        var day: Int32 = 0
        if n == 10
            && (kw_iso_date(p, &year, &month, &day) != 0 || kw_dmy_date(p, n, &year, &month, &day) != 0)
        {
            return calendarDay(Int(year), Int(month), Int(day))
        }
        return date(p, n)
    }

    /// The day of a date's fields (negative where a character was not a digit).
    @inline(__always)
    static func calendarDay(_ year: Int, _ month: Int, _ day: Int) -> Result<Int32, DateError> {
        guard year >= 0, month >= 0, day >= 0 else { return .failure(.syntax) }
        guard (1...12).contains(month), day >= 1 else { return .failure(.noSuchDay) }
        let m = (year &- monthTableFirstYear) &* 12 &+ month &- 1
        if m >= 0 && m < monthStarts.count - 1 {
            // The common case: a table of month starts instead of the calendar arithmetic.
            let first = monthStarts[m]
            guard Int32(day) <= monthStarts[m + 1] &- first else { return .failure(.noSuchDay) }
            return .success(first &+ Int32(day) &- 1)
        }
        guard day <= Day.daysIn(month: month, year: year) else { return .failure(.noSuchDay) }
        return .success(Int32(Day.daysFromCivil(year: year, month: month, day: day)))
    }

    private static let monthTableFirstYear = 1900
    /// `Day` ordinal of the first of each month from January 1900 to January 2200.
    private static let monthStarts: [Int32] = (0...(300 * 12)).map { m in
        Int32(Day.daysFromCivil(year: monthTableFirstYear + m / 12, month: m % 12 + 1, day: 1))
    }
}
