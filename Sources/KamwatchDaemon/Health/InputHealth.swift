import Foundation
import KamwatchData
import KamwatchState
import KamwatchVocabulary

/// The built-in checks of kamwatch's own inputs (SPEC §7): each problem is raised once when it
/// starts and resolved once when it ends, never repeated while it holds. Pure: facts and the
/// time in, problems out.
public enum InputHealth {
    /// A table whose newest file is older than `health.stale_after`.
    public static let staleTable = "stale-table"
    /// A file whose header lost a required or mapped column (the table keeps its last good contents).
    public static let lostColumn = "lost-column"
    /// A table whose share of bad rows exceeds `health.bad_rows`.
    public static let badRows = "bad-rows"

    /// Each check's journal `MESSAGE_ID`, explained in deploy/kamwatch.catalog.
    public static let messageIDs: [String: String] = [
        staleTable: "1ad356e010a44b49ab92955ed28f2d58",
        lostColumn: "755e1901c3564ae69cca8ab17ccac951",
        badRows: "62ddb9053c4c4259a3ffb803b73f1905",
    ]

    /// The problems `facts` show at `now`, by key (check and subject).
    public static func problems(
        _ facts: [TableName: TableFacts], now: Date, settings: HealthSettings
    ) -> [String: HealthProblem] {
        var out: [String: HealthProblem] = [:]
        func add(_ check: String, _ subject: String, _ detail: String) {
            let p = HealthProblem(check: check, subject: subject, detail: detail, since: now)
            out[p.key] = p
        }
        let staleAfter = Double(settings.staleAfter.components.seconds)
        for (table, f) in facts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for (file, reason) in f.lostColumns.sorted(by: { $0.key < $1.key }) {
                add(lostColumn, file, "\(reason); \(table.rawValue) keeps its last good contents")
            }
            if let newest = f.newestModified, let file = f.newestFile, now.timeIntervalSince(newest) > staleAfter {
                add(
                    staleTable, table.rawValue,
                    "newest file \(file) was modified \(age(now.timeIntervalSince(newest))) ago (stale after "
                        + "\(DurationText.format(settings.staleAfter)))")
            }
            let total = f.goodRows + f.badRows
            if total > 0, Double(f.badRows) / Double(total) > settings.badRows {
                let share = NumberText.json((Double(f.badRows) / Double(total) * 1000).rounded() / 10)
                add(
                    badRows, table.rawValue,
                    "\(f.badRows) of \(total) rows are bad (\(share)%, limit \(NumberText.json(settings.badRows * 100))%)"
                )
            }
        }
        return out
    }

    /// What changed between the stored problems and the current ones: raised (new keys) and
    /// resolved (keys gone). A problem that still holds is neither, whatever its detail says now.
    public static func transitions(
        current: [String: HealthProblem], stored: [HealthProblem]
    ) -> (raised: [HealthProblem], resolved: [HealthProblem]) {
        let storedKeys = Set(stored.map(\.key))
        let raised = current.values.filter { !storedKeys.contains($0.key) }.sorted { $0.key < $1.key }
        let resolved = stored.filter { current[$0.key] == nil }
        return (raised, resolved)
    }

    /// `3 days`, `5 hours`, `12 minutes`.
    static func age(_ seconds: Double) -> String {
        let units: [(Double, String)] = [(86_400, "day"), (3600, "hour"), (60, "minute")]
        for (size, name) in units where seconds >= size {
            let n = Int(seconds / size)
            return "\(n) \(name)\(n == 1 ? "" : "s")"
        }
        return "\(Int(seconds)) seconds"
    }
}
