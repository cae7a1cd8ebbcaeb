import Foundation
import KamwatchDigest
import KamwatchState
import KamwatchVocabulary
import Testing

/// Delivery through a real child process: a small shell script stands in for sendmail and
/// appends what it got on standard input to a file.
@Suite("Digest delivery")
struct DigestDeliveryTests {
    typealias E = ExampleDigest

    private final class Folder {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("kamwatch-deliver-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    }

    private func job(outbox: URL, queue: Bool) throws -> DigestJob {
        let options = try DigestOptions(
            outbox: outbox, from: "kamwatch@example.com", fallback: E.fallback.value, allClear: false,
            timeZone: E.zone, language: .en, queueDelivery: queue)
        return DigestJob(options: options, ruleTexts: E.ruleTexts, renderer: try DigestRenderer(language: .en))
    }

    /// `sh -c SCRIPT sendmail -t -oi`: the script sees the arguments as $1, $2.
    private func command(_ script: String, timeout: Duration = .seconds(10)) -> MailCommand {
        MailCommand(argv: ["/bin/sh", "-c", script, "sendmail", "-t", "-oi"], timeout: timeout)
    }

    @Test func eachQueuedDigestIsSentOnceAndRecorded() throws {
        let folder = try Folder()
        let state = try StateFixture.store(log: E.transitions)
        let report = try job(outbox: folder.url, queue: true).run(
            date: E.date, now: E.at("2026-11-20 07:00"), state: state)
        #expect(report.entries.count == 3)
        #expect(try state.pendingDeliveries().count == 3)

        let sent = folder.path("sent")
        let deliverer = DigestDeliverer(command: command("test \"$1 $2\" = '-t -oi' && cat >> '\(sent)'"))
        let first = try deliverer.run(state: state, now: { E.at("2026-11-20 07:01") })
        #expect(first.map(\.outcome) == [.delivered, .delivered, .delivered])
        #expect(try state.pendingDeliveries().isEmpty)
        let text = try String(contentsOfFile: sent, encoding: .utf8)
        #expect(text.components(separatedBy: "\r\nMessage-ID: ").count == 4)
        for entry in report.entries { #expect(text.contains("To: \(entry.lead)\r\n")) }
        let row = try state.delivery(date: "2026-11-20", lead: E.boris.value)
        #expect(row?.deliveredAt == E.at("2026-11-20 07:01"))
        #expect(row?.attempts == 1)

        // Nothing is sent twice: not by a second delivery, not by a second digest run.
        #expect(try deliverer.run(state: state).isEmpty)
        _ = try job(outbox: folder.url, queue: true).run(date: E.date, now: E.at("2026-11-20 08:00"), state: state)
        #expect(try deliverer.run(state: state).isEmpty)
        #expect(try String(contentsOfFile: sent, encoding: .utf8) == text)
    }

    @Test func aFailureKeepsTheDigestQueuedWithItsReasonAndTheNextRunSendsIt() throws {
        let folder = try Folder()
        let state = try StateFixture.store(log: E.transitions)
        _ = try job(outbox: folder.url, queue: true).run(date: E.date, now: E.at("2026-11-20 07:00"), state: state)

        let failing = DigestDeliverer(command: command("cat >/dev/null; echo 'relay: connection refused' >&2; exit 75"))
        let failed = try failing.run(state: state)
        #expect(failed.count == 3)
        for entry in failed {
            guard case .failed(let reason) = entry.outcome else {
                Issue.record("\(entry.lead) was delivered")
                continue
            }
            #expect(reason == "/bin/sh failed (exit status 75): relay: connection refused")
        }
        let pending = try state.pendingDeliveries()
        #expect(pending.map(\.attempts) == [1, 1, 1])
        #expect(pending.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })

        let sent = folder.path("sent")
        let second = try DigestDeliverer(command: command("cat >> '\(sent)'")).run(state: state)
        #expect(second.map(\.outcome) == [.delivered, .delivered, .delivered])
        #expect(second.map(\.attempts) == [2, 2, 2])
        #expect(
            try String(contentsOfFile: sent, encoding: .utf8).components(separatedBy: "\r\nMessage-ID: ").count == 4)
    }

    @Test func digestsWrittenAsFilesAreNeverQueued() throws {
        let folder = try Folder()
        let state = try StateFixture.store(log: E.transitions)
        _ = try job(outbox: folder.url, queue: false).run(date: E.date, now: E.at("2026-11-20 07:00"), state: state)
        #expect(try state.pendingDeliveries().isEmpty)
        #expect(try state.digests(date: "2026-11-20").count == 3)
    }

    @Test func aCommandThatHangsIsStoppedAtItsTimeout() throws {
        let folder = try Folder()
        let message = folder.path("digest.eml")
        try Data("Subject: x\r\n\r\nx\r\n".utf8).write(to: URL(fileURLWithPath: message))
        #expect(throws: MailCommand.Failure(reason: "/bin/sh did not finish within 0.2 seconds: waiting")) {
            try command("echo waiting >&2; exec sleep 30", timeout: .milliseconds(200)).send(file: message)
        }
    }

    @Test func aMissingProgramOrFileIsAFailureThatSaysWhich() throws {
        let folder = try Folder()
        let message = folder.path("digest.eml")
        try Data("x".utf8).write(to: URL(fileURLWithPath: message))
        #expect(throws: MailCommand.Failure(reason: "cannot start /nonexistent/sendmail: No such file or directory")) {
            try MailCommand(argv: ["/nonexistent/sendmail", "-t"]).send(file: message)
        }
        #expect(
            throws: MailCommand.Failure(reason: "cannot read \(folder.path("gone.eml")): No such file or directory")
        ) {
            try command("cat").send(file: folder.path("gone.eml"))
        }
    }
}
