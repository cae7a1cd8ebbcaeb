/// A problem in one of kamwatch's inputs (a data file, the config file), located as precisely
/// as is known: `file:line:column: reason`.
public struct InputIssue: Sendable, Hashable, CustomStringConvertible, Error {
    /// The file, relative to the data directory for data files (or as given).
    public var file: String
    /// 1-based physical line where the row or key starts; `nil` for whole-file problems.
    public var line: Int?
    /// The column: a header name in a data file, a 1-based number in the config file; `nil`
    /// when the whole row or file is at fault.
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
