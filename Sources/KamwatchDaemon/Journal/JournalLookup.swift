import Foundation
import KamwatchVocabulary

/// Finds which transitions already reached the journal (for recovery after a crash between
/// sending an entry and marking it sent).
public protocol JournalLookup: Sendable {
    /// The `KAMWATCH_SEQ`s of entries with `KAMWATCH_INSTANCE=instance` logged since `since`.
    func presentSeqs(instance: String, since: Date) throws -> Set<Int64>
}

/// Reads the journal with `journalctl -o json`.
///
/// The daemon's user must be able to read the journal (root, or the `systemd-journal` group);
/// otherwise nothing is found and unmarked entries are sent again (at least once, never lost).
public struct JournalctlLookup: JournalLookup {
    public var executable: String

    public init(executable: String = "/usr/bin/journalctl") {
        self.executable = executable
    }

    public func presentSeqs(instance: String, since: Date) throws -> Set<Int64> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--no-pager", "--quiet", "-o", "json", "--output-fields=KAMWATCH_SEQ",
            "--since=@\(Int64(since.timeIntervalSince1970) - 60)",
            "SYSLOG_IDENTIFIER=kamwatch", "\(AlertJournalEntry.instanceField)=\(instance)",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw JournalLookupError(reason: "journalctl exited with status \(process.terminationStatus)")
        }
        var seqs = Set<Int64>()
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let text = object[AlertJournalEntry.seqField] as? String, let seq = Int64(text)
            else { continue }
            seqs.insert(seq)
        }
        return seqs
    }
}

/// The journal could not be searched.
public struct JournalLookupError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "cannot search the journal: \(reason)" }
}
