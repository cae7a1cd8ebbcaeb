import Foundation
import KamwatchData
import KamwatchVocabulary

#if canImport(Glibc)
#endif

/// What `kamwatch check --stats` prints: a stable format that the benchmark script parses.
public struct CheckStats: Sendable {
    public let book: Book
    public let bytes: Int
    public let read: Duration
    public let evaluate: Duration
    public let total: Duration
    /// Peak resident memory in MB; the process's own when not given.
    public let peakMB: Int

    public init(
        book: Book, bytes: Int, read: Duration, evaluate: Duration, total: Duration,
        peakMB: Int = CheckStats.peakResidentMB()
    ) {
        self.book = book
        self.bytes = bytes
        self.read = read
        self.evaluate = evaluate
        self.total = total
        self.peakMB = peakMB
    }

    public var lines: String {
        let rows = TableName.allCases.map { book.table($0).rowCount }
        let rowTotal = rows.reduce(0, +)
        let perTable = zip(TableName.allCases, rows).map { "\($0.rawValue) \($1)" }.joined(separator: ", ")
        let mb = Double(bytes) / 1_000_000
        let readSeconds = seconds(read)
        let mbPerSecond = readSeconds > 0 ? mb / readSeconds : 0
        let rowsPerSecond = readSeconds > 0 ? Double(rowTotal) / readSeconds / 1_000_000 : 0
        return "stats: rows \(perTable)\n"
            + "stats: read \(fixed(readSeconds, 3)) s, evaluate \(fixed(seconds(evaluate), 3)) s, "
            + "total \(fixed(seconds(total), 3)) s, \(fixed(mb, 1)) MB, \(rowTotal) rows, \(fixed(mbPerSecond, 1)) MB/s, "
            + "\(fixed(rowsPerSecond, 1))M rows/s, peak RSS \(peakMB) MB\n"
    }

    /// Bytes of the data files kamwatch reads (as stored, so compressed for `.gz`): those a
    /// sources file assigns to tables when one is given, else the files SPEC §1 names.
    public static func bytesRead(_ directory: String, sources: SourcePlan? = nil) -> Int {
        let names: [String]
        if let sources {
            guard let assigned = try? Book.fileNames(directory: directory, sources: sources) else { return 0 }
            names = assigned
        } else {
            guard let tables = try? DataDirectory.scan(directory) else { return 0 }
            names = Array(tables.values.joined())
        }
        var total = 0
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber {
                total += size.intValue
            }
        }
        return total
    }

    /// This process's peak resident set size in MB (Linux reports `ru_maxrss` in KB).
    public static func peakResidentMB() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) / 1024
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    private func fixed(_ v: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", v) }
}
