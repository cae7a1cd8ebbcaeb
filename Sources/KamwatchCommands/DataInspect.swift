import KamwatchData
import KamwatchVocabulary

/// `kamwatch data inspect FILE`: how kamwatch reads one export, and every bad row in it.
public struct DataInspect: Sendable {
    public var file: String
    /// Print the good rows on standard output in this format (the report then goes to standard error).
    public var rows: RowFormat?
    /// The table the file feeds; `nil` when its name tells.
    public var table: TableName?
    /// A sources file to read the file through (SPEC §6).
    public var sources: String?

    public init(file: String, rows: RowFormat? = nil, table: TableName? = nil, sources: String? = nil) {
        self.sources = sources
        self.file = file
        self.rows = rows
        self.table = table
    }

    /// Prints the report (and the rows); fails with exit status 2 on a usage error, 1 when the file
    /// could not be read at all (the report says why).
    public func run(output: Output) throws(CommandFailure) {
        let report: InspectReport
        let plan = try sources.map { (path) throws(CommandFailure) in try SourcesRun.plan(path) }
        do {
            report = try InspectReport.inspect(path: file, table: table, sources: plan)
        } catch {
            throw CommandFailure(error.description, command: "data inspect", exitCode: 2)
        }
        switch rows {
        case .json:
            // Rows on standard output for piping; the report goes to standard error.
            output.err(report.text)
            var buffer = ""
            report.jsonRows { line in
                buffer += line
                buffer += "\n"
                if buffer.utf8.count >= 1 << 16 {
                    output.out(buffer)
                    buffer = ""
                }
            }
            output.out(buffer)
        case nil:
            output.out(report.text)
        }
        if !report.readable { throw CommandFailure(nil, command: "data inspect", exitCode: 1) }
    }
}
