import Foundation
import Glibc
import Synchronization
import Testing

@testable import KamwatchSystemd

@Suite("Fallback to stderr")
struct JournalFallbackTests {
    private func text(_ entry: JournalEntry) -> String {
        String(decoding: JournalFallback.format(entry), as: UTF8.self)
    }

    @Test("each line carries the priority prefix systemd reads")
    func format() throws {
        var entry = JournalEntry(message: "first\nsecond", priority: .critical)
        try entry.append("KAMWATCH_RULE", "discount-creep")
        try entry.append("KAMWATCH_EVIDENCE", "a\nb\\c")
        #expect(text(entry) == "<2>first\n<2>second KAMWATCH_RULE=discount-creep KAMWATCH_EVIDENCE=a\\nb\\\\c\n")
    }

    @Test("a plain message is one line", arguments: JournalPriority.allCases)
    func plain(priority: JournalPriority) {
        #expect(text(JournalEntry(message: "hello", priority: priority)) == "<\(priority.rawValue)>hello\n")
    }

    @Test func trailingNewlineIsNotAnEmptyLine() {
        #expect(text(JournalEntry(message: "done\n", priority: .info)) == "<6>done\n")
    }

    @Test("a sink without journald writes every entry to the fallback")
    func routedToFallback() {
        let captured = Mutex<[UInt8]>([])
        let sink = SystemdJournal(
            usingJournald: false, fallback: JournalFallback { bytes in captured.withLock { $0 += bytes } })
        sink.send(JournalEntry(message: "one", priority: .notice))
        sink.send(JournalEntry(message: "two", priority: .error))
        #expect(captured.withLock { String(decoding: $0, as: UTF8.self) } == "<5>one\n<3>two\n")
    }

    @Test("no socket file: no journald")
    func missingSocket() throws {
        let dir = try TemporaryDirectory()
        #expect(!SystemdJournal.journaldAnswers(at: dir.path + "/socket"))
        let sink = SystemdJournal(socketPath: dir.path + "/socket", fallback: JournalFallback { _ in })
        #expect(!sink.isUsingJournald)
    }

    @Test("a socket file nobody listens on: no journald")
    func staleSocket() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/socket"
        let fd = try bindDatagramSocket(at: path)
        close(fd)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!SystemdJournal.journaldAnswers(at: path))
    }

    @Test("a listening socket: journald answers")
    func liveSocket() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/socket"
        let fd = try bindDatagramSocket(at: path)
        defer { close(fd) }
        #expect(SystemdJournal.journaldAnswers(at: path))
        #expect(SystemdJournal(socketPath: path, fallback: JournalFallback { _ in }).isUsingJournald)
    }

    @Test func overlongPathIsNoJournald() {
        #expect(!SystemdJournal.journaldAnswers(at: "/" + String(repeating: "x", count: 200)))
    }
}
