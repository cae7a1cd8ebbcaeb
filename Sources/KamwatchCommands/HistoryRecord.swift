import Foundation
import KamwatchData
import KamwatchState
import KamwatchVocabulary

/// `kamwatch history record`: records one day's snapshot of a data directory (the contacts
/// seen, each account's parent) in a state directory's history, to backfill from archived
/// exports, oldest first.
public struct HistoryRecord: Sendable {
    public var data: String
    public var state: String
    public var day: Day
    /// A sources file (SPEC §6); `nil` reads the data directory as SPEC §1 says.
    public var sources: String?
    /// Where the shipped presets of a sources file are looked up.
    public var environment: [String: String]

    public init(
        data: String, state: String, day: Day, sources: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.data = data
        self.state = state
        self.day = day
        self.sources = sources
        self.environment = environment
    }

    public func run(output: Output) throws(CommandFailure) {
        let loaded = try read()
        output.err(loaded.issues.map { $0.description + "\n" }.joined())
        let recording: StateStore.HistoryRecording
        do {
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            let store = try StateStore(directory: state)
            recording = try store.recordHistory(HistorySnapshot(book: loaded.book), on: day)
        } catch {
            throw CommandFailure("\(error)", command: "history record")
        }
        output.out(
            "\(recording.replaced ? "replaced" : "recorded") \(recording.day): \(recording.contactsSeen) contacts seen, "
                + "\(recording.periodsStarted) new or back, \(recording.periodsEnded) gone, "
                + "\(recording.parentChanges) parent changes\n")
    }

    /// The accounts and contacts of the data directory (the other tables say nothing the
    /// history keeps), with only the text columns a snapshot reads.
    private func read() throws(CommandFailure) -> (book: Book, issues: [InputIssue]) {
        let none = ColumnSelection(text: Dictionary(uniqueKeysWithValues: TableName.allCases.map { ($0, []) }))
        let selection = none.keepingHistory
        if let sources {
            // The same reading as `check --sources`.
            let plan = try SourcesRun.plan(sources, environment: environment)
            do {
                return try Book.load(directory: data, sources: plan, keeping: selection)
            } catch {
                throw CommandFailure(error.description, command: "history record")
            }
        }
        let files: [TableName: [String]]
        do {
            files = try DataDirectory.scan(data)
        } catch {
            throw CommandFailure(error.description, command: "history record")
        }
        guard files[.accounts] != nil else {
            throw CommandFailure(
                "\(data): no accounts table (accounts.csv) in the data directory", command: "history record")
        }
        let tables = TableReader.read(
            files.filter { [.accounts, .contacts].contains($0.key) }, in: data, keeping: selection)
        let (book, linkIssues) = Book.assemble(tables, keeping: selection)
        let issues = TableName.allCases.flatMap { tables[$0]?.issues ?? [] }
        return (book, issues + linkIssues)
    }
}
