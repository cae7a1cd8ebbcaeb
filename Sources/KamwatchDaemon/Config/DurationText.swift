import Foundation
import KamwatchVocabulary

/// Durations as config files write them: `2s`, `500ms`, `1.5s`, `1m`, `1h`.
public enum DurationText {
    /// Parses a non-negative number followed by `ms`, `s`, `m`, `h` or `d`; `nil` otherwise.
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        let t = text.trimmingCharacters(in: .whitespaces)
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let number = t.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number), value.isFinite
            else { return nil }
            return .nanoseconds(Int64((value * scale * 1e9).rounded()))
        }
        return nil
    }

    /// The shortest of the forms `parse` reads: `2s`, `500ms`, `2d`.
    public static func format(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        if ms > 0, ms % 86_400_000 == 0 { return "\(ms / 86_400_000)d" }
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }
}
