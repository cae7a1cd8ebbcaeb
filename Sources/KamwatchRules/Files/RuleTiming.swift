import KamwatchVocabulary

/// A rule's `for:` and `keep_firing_for:`: how many days it must hold before it fires, and how
/// many days it keeps firing after it stops holding (both 0 unless the rule file says otherwise).
public struct RuleTiming: Sendable, Hashable {
    /// `for: Nd`: first seen holding on day D, it fires at the first evaluation on D + N or later,
    /// if every evaluation since found it holding.
    public var forDays: Int
    /// `keep_firing_for: Nd`: first seen not holding on day D, it resolves at the first evaluation
    /// on D + N or later that still finds it not holding.
    public var keepFiringDays: Int

    public init(forDays: Int = 0, keepFiringDays: Int = 0) {
        self.forDays = forDays
        self.keepFiringDays = keepFiringDays
    }

    /// Fires at once and resolves at once.
    public static let immediate = RuleTiming()

    /// Parses `Nd` (a whole number of days, e.g. `2d`); `nil` otherwise.
    public static func days(_ text: String) -> Int? {
        guard text.hasSuffix("d"), text.count > 1, text.count <= 5 else { return nil }
        let digits = text.dropLast()
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}

extension RuleSet {
    /// Each rule's timing, by rule id.
    public var timings: [String: RuleTiming] {
        Dictionary(uniqueKeysWithValues: rules.map { ($0.id, $0.timing) })
    }
}
