import Foundation
import KamwatchData
import KamwatchVocabulary

/// What the last read of one table showed about its files: for the input health checks and
/// the metrics.
public struct TableFacts: Sendable, Equatable {
    /// Files whose header lacks a required or mapped column, with what it lacks.
    public var lostColumns: [String: String] = [:]
    /// Rows kept and rows skipped as bad, over the files that could be read with their columns.
    public var goodRows = 0
    public var badRows = 0
    /// The most recently modified file and when.
    public var newestFile: String?
    public var newestModified: Date?

    public init() {}

    /// The facts of `data`, just read from `directory`.
    public init(_ data: TableData, directory: String) {
        for file in data.files {
            if let reason = file.lostColumns {
                lostColumns[file.name] = reason
                continue
            }
            goodRows += file.goodRows
            badRows += file.badRows
            var st = stat()
            let path = file.name.hasPrefix("/") ? file.name : directory + "/" + file.name
            guard stat(path, &st) == 0 else { continue }
            let modified = Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
            if newestModified.map({ modified > $0 }) ?? true {
                newestModified = modified
                newestFile = file.name
            }
        }
    }
}
