import ArgumentParser
import Foundation
import KamwatchData
import KamwatchRules
import KamwatchVocabulary

#if canImport(Glibc)
import Glibc
#endif

/// `kamwatch check`: evaluate the rules once against a data directory and print the alerts.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate the rules once and print the alerts.",
        discussion: """
            Data problems go to standard error as file:line:column: reason. Exit status: 0 when \
            the evaluation ran (alerts or not), 2 on a usage, data directory or rule error.
            """
    )

    @Option(help: "The data directory (CSV exports).")
    var data: String

    @Option(help: "The rules directory (default: the rules shipped with kamwatch).")
    var rules: String?

    @Option(help: "Evaluate as of this day, YYYY-MM-DD (default: today).")
    var at: String?

    @Option(help: "Output format: text or json (one object per line).")
    var format: String = "text"

    @Option(help: "Language of messages: en or ru.")
    var locale: String = "en"

    @Flag(help: "Print rows, bytes, timings and peak memory to standard error.")
    var stats = false

    func validate() throws {
        if let at, Day(iso: at) == nil { throw ValidationError("--at takes a day as YYYY-MM-DD, not \"\(at)\"") }
        guard ["text", "json"].contains(format) else {
            throw ValidationError("--format is text or json, not \"\(format)\"")
        }
        guard Language(rawValue: locale) != nil else {
            throw ValidationError("--locale is en or ru, not \"\(locale)\"")
        }
    }

    func run() async throws {
        let start = ContinuousClock.now
        let day = at.flatMap { Day(iso: $0) } ?? Day(Date(), in: .current)
        let messageLocale = Language(rawValue: locale) ?? .en

        guard let rulesDir = try? RulesDirectory.find(rules) else {
            Self.fail(RulesDirectory.NotFound().description)
        }
        let ruleSet: RuleSet
        do {
            ruleSet = try RuleSet.load(directory: rulesDir)
        } catch {
            Self.fail(error.description)
        }

        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: data, isDirectory: &isDir) {
            Self.fail("\(data): no such data directory")
        }
        if !isDir.boolValue { Self.fail("\(data): not a directory (--data takes the directory of CSV files)") }
        let loaded: (book: Book, issues: [InputIssue])
        do {
            // Only the text columns the rules read (and alerts carry) are kept.
            loaded = try Book.load(directory: data, keeping: ruleSet.columnsUsed)
        } catch {
            Self.fail(error.description)
        }
        let readDone = ContinuousClock.now
        var problems = ""
        for issue in loaded.issues { problems += issue.description + "\n" }
        Self.write(problems, to: 2)

        let alerts = ruleSet.evaluate(book: loaded.book, at: day, locale: messageLocale)
        let evaluateDone = ContinuousClock.now

        if format == "json" {
            Self.write(AlertJSON.bytes(alerts), to: 1)
        } else {
            let colour = TextReport.wantsColour(environment: ProcessInfo.processInfo.environment)
            let report = TextReport(colour: colour, locale: messageLocale)
            Self.write(report.render(alerts, accountCount: loaded.book.accountCount, at: day), to: 1)
        }
        if stats {
            let s = CheckStats(
                book: loaded.book, bytes: Self.bytesRead(data), read: readDone - start,
                evaluate: evaluateDone - readDone,
                total: ContinuousClock.now - start)
            Self.write(s.lines, to: 2)
        }
    }

    /// Prints `kamwatch: message` to standard error and exits with status 2.
    static func fail(_ message: String) -> Never {
        write("kamwatch: " + message + "\n", to: 2)
        Foundation.exit(2)
    }

    /// Writes all of `s` to a file descriptor (1 = standard output, 2 = standard error).
    static func write(_ s: String, to fd: Int32) {
        var s = s
        s.withUTF8 { write($0, to: fd) }
    }

    /// Writes all of `bytes` to a file descriptor.
    static func write(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBufferPointer { write($0, to: fd) }
    }

    private static func write(_ buf: UnsafeBufferPointer<UInt8>, to fd: Int32) {
        var offset = 0
        while offset < buf.count {
            let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
            if n <= 0 {
                if n < 0, errno == EINTR { continue }
                return
            }
            offset += n
        }
    }

    /// Bytes of the data files kamwatch reads (as stored, so compressed for `.gz`).
    static func bytesRead(_ directory: String) -> Int {
        guard let tables = try? DataDirectory.scan(directory) else { return 0 }
        var total = 0
        for name in tables.values.joined() {
            let path = (directory as NSString).appendingPathComponent(name)
            if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber {
                total += size.intValue
            }
        }
        return total
    }
}

/// What `--stats` prints: a stable format that the benchmark script parses.
struct CheckStats {
    let book: Book
    let bytes: Int
    let read: Duration
    let evaluate: Duration
    let total: Duration

    var lines: String {
        let rows = TableName.allCases.map { book.table($0).rowCount }
        let rowTotal = rows.reduce(0, +)
        let perTable = zip(TableName.allCases, rows).map { "\($0.rawValue) \($1)" }.joined(separator: ", ")
        let mb = Double(bytes) / 1_000_000
        let readSeconds = seconds(read)
        let mbPerSecond = readSeconds > 0 ? mb / readSeconds : 0
        let rowsPerSecond = readSeconds > 0 ? Double(rowTotal) / readSeconds / 1_000_000 : 0
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        let peakMB = Int(usage.ru_maxrss) / 1024
        return "stats: rows \(perTable)\n"
            + "stats: read \(fixed(readSeconds, 3)) s, evaluate \(fixed(seconds(evaluate), 3)) s, "
            + "total \(fixed(seconds(total), 3)) s, \(fixed(mb, 1)) MB, \(rowTotal) rows, \(fixed(mbPerSecond, 1)) MB/s, "
            + "\(fixed(rowsPerSecond, 1))M rows/s, peak RSS \(peakMB) MB\n"
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    private func fixed(_ v: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", v) }
}
