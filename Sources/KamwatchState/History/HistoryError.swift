/// A snapshot the history cannot take.
public enum HistoryError: Error, Equatable, CustomStringConvertible {
    /// Snapshots are recorded oldest first: `day` is older than the last recorded day.
    case olderThanLastDay(day: String, last: String)

    public var description: String {
        switch self {
        case .olderThanLastDay(let day, let last):
            "cannot record \(day): the history already goes up to \(last), and snapshots are recorded "
                + "oldest first (a day older than the last recorded one is refused)"
        }
    }
}
