/// Numbers written with a decimal comma (`-1234,56`), the common case of the exports that use
/// one, read without `CellParser`'s general loop (thousands separators, marks, long mantissas).
enum DecimalComma {
    /// 10^0 ... 10^15, each exact.
    private static let powersOfTen: [Double] = (0...15).reduce(into: []) { powers, k in
        powers.append(k == 0 ? 1 : powers[k - 1] * 10)
    }

    /// `[-+]digits[,digits]` of at most 15 digits, as `CellParser.number(_:_:decimalComma: true)`
    /// reads it (the same double: both operands exact, one rounding); `nil` for anything else,
    /// which the caller gives to `CellParser`.
    @inline(__always)
    static func number(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        if n == 0 { return nil }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") {
            negative = p[0] == UInt8(ascii: "-")
            i = 1
        }
        var m: UInt64 = 0
        var j = i
        while j < n {
            let d = p[j] &- 0x30
            if d > 9 { break }
            m = m &* 10 &+ UInt64(d)
            j &+= 1
        }
        let intCount = j - i
        if intCount == 0 { return nil }
        var fracCount = 0
        if j < n {
            if p[j] != UInt8(ascii: ",") { return nil }
            j &+= 1
            let fracStart = j
            while j < n {
                let d = p[j] &- 0x30
                if d > 9 { return nil }
                m = m &* 10 &+ UInt64(d)
                j &+= 1
            }
            fracCount = j - fracStart
            if fracCount == 0 { return nil }
        }
        if intCount + fracCount > 15 { return nil }
        let v = Double(m) / powersOfTen[fracCount]
        return negative ? -v : v
    }
}
