import Foundation
import Testing

@testable import KamwatchSystemd

/// Sends to the machine's journald and reads the entry back with `journalctl`.
@Suite("Live journald")
struct JournaldLiveTests {
    static let journaldListening = SystemdJournal.journaldAnswers(at: SystemdJournal.defaultSocketPath)
    /// Under CI nothing may be skipped: without a journald the test runs and fails.
    static let required = journaldListening || ProcessInfo.processInfo.environment["CI"] == "true"

    @Test(
        "an entry with fields and newlines round-trips through journald",
        .enabled(
            if: required,
            "no journald answers on /run/systemd/journal/socket (make test starts one: scripts/with-journald.sh)")
    )
    func roundTrip() throws {
        let sink = SystemdJournal()
        #expect(sink.isUsingJournald)
        let marker = UUID().uuidString.lowercased().replacing("-", with: "")
        var entry = JournalEntry(
            message: "kamwatch live test\nсо второй строкой",
            priority: .notice,
            messageID: JournalMessageID(marker)
        )
        try entry.append("KAMWATCH_RULE", "journal-live-test")
        try entry.append("KAMWATCH_EVIDENCE", "{\"n\":1}")
        #expect(SystemdJournal.sendv(entry.encodedFields) >= 0)

        let found = try #require(try Self.read(messageID: marker))
        #expect(found["MESSAGE"] as? String == "kamwatch live test\nсо второй строкой")
        #expect(found["PRIORITY"] as? String == "5")
        #expect(found["SYSLOG_IDENTIFIER"] as? String == "kamwatch")
        #expect(found["KAMWATCH_RULE"] as? String == "journal-live-test")
        #expect(found["KAMWATCH_EVIDENCE"] as? String == "{\"n\":1}")
        #expect((found["CODE_FILE"] as? String)?.hasSuffix("JournaldLiveTests.swift") == true)
    }

    /// Flushes journald to its files, then asks `journalctl` for the entry; retries briefly since journald writes asynchronously.
    static func read(messageID: String) throws -> [String: Any]? {
        for _ in 0..<20 {
            _ = try run("/usr/bin/journalctl", ["--sync"])
            let output = try run("/usr/bin/journalctl", ["-o", "json", "--no-pager", "MESSAGE_ID=\(messageID)"])
            if let line = output.split(separator: "\n").first,
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            {
                return object
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
