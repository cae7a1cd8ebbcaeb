import KamwatchVocabulary
/// A problem found while reading the data directory: a bad row, an unreadable file, a cycle.
public struct DataIssue: Sendable, Hashable, CustomStringConvertible, Error {
    /// File name relative to the data directory (or as given).
    public var file: String
    /// 1-based physical line where the row starts; `nil` for whole-file problems.
    public var line: Int?
    /// Header name of the offending column; `nil` when the whole row or file is at fault.
    public var column: String?
    /// What is wrong, for a person.
    public var reason: String

    public init(file: String, line: Int? = nil, column: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `file:line:column: reason`, dropping the parts that are absent.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + reason
    }
}
