import Foundation
import KamwatchVocabulary
import Testing

@testable import KamwatchData

/// A scratch data directory, removed when the value is released.
final class ScratchDirectory {
    let path: String

    init(_ files: [String: String] = [:]) throws {
        path = NSTemporaryDirectory() + "kamwatch-data-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ text: String) throws {
        try write(name, bytes: Array(text.utf8))
    }

    func write(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + name))
    }

    /// Copies a fixture file into the directory.
    func copyFixture(_ fixture: String, as name: String) throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/" + fixture, withExtension: nil))
        try FileManager.default.copyItem(atPath: url.path, toPath: path + "/" + name)
    }
}

/// Reads `text` as the only file of `table`.
func readTable(_ table: TableName, _ text: String, name: String? = nil) throws -> TableData {
    let file = name ?? "\(table.rawValue).csv"
    let dir = try ScratchDirectory([file: text])
    return TableReader.read(table, files: [file], in: dir.path)
}

/// Reads raw bytes as the only file of `table`.
func readTable(_ table: TableName, bytes: [UInt8], name: String? = nil) throws -> TableData {
    let file = name ?? "\(table.rawValue).csv"
    let dir = try ScratchDirectory()
    try dir.write(file, bytes: bytes)
    return TableReader.read(table, files: [file], in: dir.path)
}

/// Renders a cell for comparisons: text as is, numbers in shortest form, dates as ISO, absent as `-`.
func cell(_ column: Column, _ row: Int) -> String {
    switch column {
    case .text(let t): t[row] ?? "-"
    case .number(let v): v[row].isNaN ? "-" : "\(v[row])"
    case .date(let v): v[row] == Column.absentDate ? "-" : Day(ordinal: v[row]).description
    }
}

/// Every row of a table as `a|b|c`, in order.
func rows(_ columns: [Column], count: Int) -> [String] {
    (0..<count).map { row in columns.map { cell($0, row) }.joined(separator: "|") }
}

func rows(_ data: TableData) -> [String] { rows(data.columns, count: data.rowCount) }

func rows(_ table: Table) -> [String] { rows(table.columns, count: table.rowCount) }

/// Issues as `file:line:column: reason` texts.
func texts(_ issues: [InputIssue]) -> [String] { issues.map(\.description) }
