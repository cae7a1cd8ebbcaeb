import Foundation
import KamwatchVocabulary
import Testing

@testable import KamwatchData

#if canImport(Glibc)
import Glibc
#endif

/// Times `Book.load` on a real data directory; runs only when `KAMWATCH_DATA_BENCH=DIR` is
/// set, e.g. `KAMWATCH_DATA_BENCH=bench/out/1m swift test -c release --filter LoadBenchmark`.
@Suite("Load benchmark")
struct LoadBenchmarkTests {
    static let directory = ProcessInfo.processInfo.environment["KAMWATCH_DATA_BENCH"]

    @Test("load a data directory", .enabled(if: directory != nil))
    func load() throws {
        let directory = try #require(Self.directory)
        let clock = ContinuousClock()
        let start = clock.now
        let (book, issues) = try Book.load(directory: directory)
        let elapsed = clock.now - start
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let rows = TableName.allCases.map { book.table($0).rowCount }.reduce(0, +)
        print("load: \(elapsed), \(rows) rows, \(issues.count) issues, peak RSS \(usage.ru_maxrss / 1024) MB")
        #expect(book.accountCount > 0)
    }
}
