import Foundation
import KamwatchData
import KamwatchDigest
import KamwatchRules
import KamwatchState
import KamwatchVocabulary
import Testing

@Suite("Digest runs")
struct DigestJobTests {
    typealias E = ExampleDigest

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kamwatch-digest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func job(outbox: URL, allClear: Bool = false, language: Language = .en) throws -> DigestJob {
        let settings = try DigestOptions(
            outbox: outbox, from: "kamwatch <kamwatch@example.com>", fallback: E.fallback.value, allClear: allClear,
            timeZone: E.zone, language: language)
        return DigestJob(options: settings, ruleTexts: E.ruleTexts, renderer: try DigestRenderer(language: language))
    }

    @Test func writesOneFilePerLeadAndIsIdempotent() throws {
        let outbox = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: outbox) }
        let state = try StateFixture.store(log: E.transitions, digests: [(Day(iso: "2026-11-19")!, E.anna, 4)])
        let job = try job(outbox: outbox)
        let now = E.at("2026-11-20 07:00")

        let first = try job.run(date: E.date, now: now, state: state)
        #expect(first.entries.map(\.outcome) == [.written, .written, .written])
        let folder = outbox.appendingPathComponent("digests/2026-11-20")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["anna.lead@example.com.eml", "boris@example.com.eml", "sales-ops@example.com.eml"])
        #expect(try state.digests(date: "2026-11-20").map(\.uptoSeq) == [11, 11, 11])
        let before = try Data(contentsOf: folder.appendingPathComponent("anna.lead@example.com.eml"))

        let second = try job.run(date: E.date, now: now.addingTimeInterval(3600), state: state)
        #expect(second.entries.map(\.outcome) == [.alreadyExists, .alreadyExists, .alreadyExists])
        #expect(try Data(contentsOf: folder.appendingPathComponent("anna.lead@example.com.eml")) == before)
        #expect(try state.digests(date: "2026-11-19").count + state.digests(date: "2026-11-20").count == 4)
    }

    @Test func aFileLeftByAnInterruptedRunIsKeptAndRecorded() throws {
        let outbox = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: outbox) }
        let job = try job(outbox: outbox)
        let path = job.path(date: E.date, lead: E.boris)
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("earlier".utf8).write(to: path)
        let state = try StateFixture.store(log: E.transitions)
        let report = try job.run(date: E.date, now: E.at("2026-11-20 07:00"), state: state)
        #expect(report.entries.first { $0.lead == E.boris.value }?.outcome == .alreadyExists)
        #expect(try String(contentsOf: path, encoding: .utf8) == "earlier")
        #expect(try state.digestExists(date: E.date.description, lead: E.boris.value))
    }

    @Test func theMessageIsStableAndWellFormed() throws {
        let job = try job(outbox: URL(fileURLWithPath: "/nonexistent"))
        let input = E.annaInput(language: .en)
        let mail = job.mail(for: input, rendered: job.renderer.render(input), now: E.at("2026-11-20 07:00"))
        let text = mail.rendered
        #expect(text.hasPrefix("From: \"kamwatch\" <kamwatch@example.com>\r\nTo: anna.lead@example.com\r\n"))
        #expect(text.contains("\r\nDate: Fri, 20 Nov 2026 07:00:00 +0300\r\n"))
        #expect(
            text.contains("\r\nMessage-ID: <\(DigestJob.messageID(date: E.date, lead: "ANNA.LEAD@example.com"))>\r\n"))
        #expect(text.contains("Content-Type: multipart/alternative;"))
        #expect(text.utf8.allSatisfy { $0 < 0x80 })
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
    }

    /// Three days of the daemon's transitions in a real state file, one digest a morning.
    @Test func bucketsAcrossDaysOnAStateDatabase() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("kamwatch.sqlite").path
        let store = try StateStore(path: path)
        func snapshot(_ rule: String, _ account: String, _ severity: Severity) -> Alert {
            Alert(
                rule: rule, accountID: account, accountName: "Account \(account)", severity: severity,
                message: "\(rule) holds", evidence: ["n": .number(1)], owner: "ivan@example.com",
                lead: "anna.lead@example.com", revenueAtStake: account == "A" ? 100 : 200)
        }
        func evaluate(_ current: [Alert], at time: String) throws {
            let plan = TransitionPlanner.plan(current: current, open: try store.openAlerts())
            try store.apply(plan, at: E.at(time))
        }
        let job = try job(outbox: folder.appendingPathComponent("outbox"))
        func digest(_ day: String) throws -> DigestInput? {
            let state = try StateStore(path: path)
            let date = Day(iso: day)!
            let input = try job.plan(date: date, state: state).digests.first
            _ = try job.run(date: date, now: E.at("\(day) 07:00"), state: state)
            return input
        }
        func rows(_ input: DigestInput?, _ bucket: DigestBucket) -> [String] {
            (input?.items(in: bucket) ?? []).map { "\($0.rule)/\($0.accountID)/\($0.severity)" }
        }

        try evaluate(
            [snapshot("single-contact", "A", .warning), snapshot("cost-over-margin", "B", .critical)],
            at: "2026-11-17 12:00")
        let d18 = try digest("2026-11-18")
        #expect(rows(d18, .new) == ["cost-over-margin/B/critical", "single-contact/A/warning"])

        try evaluate(
            [snapshot("single-contact", "A", .critical), snapshot("discount-creep", "C", .warning)],
            at: "2026-11-18 15:00")
        let d19 = try digest("2026-11-19")
        #expect(rows(d19, .new) == ["single-contact/A/critical", "discount-creep/C/warning"])
        #expect(d19?.items.first { $0.accountID == "A" }?.previousSeverity == .warning)
        #expect(rows(d19, .resolved) == ["cost-over-margin/B/critical"])
        #expect(rows(d19, .open).isEmpty)

        let d20 = try digest("2026-11-20")
        #expect(rows(d20, .new).isEmpty)
        #expect(rows(d20, .open) == ["single-contact/A/critical", "discount-creep/C/warning"])
        #expect(d20?.items.map(\.ageDays) == [3, 2])

        // No digest on the 21st; the 22nd catches up on what resolved on the 21st.
        try evaluate([snapshot("discount-creep", "C", .warning)], at: "2026-11-21 09:00")
        let d22 = try digest("2026-11-22")
        #expect(rows(d22, .resolved) == ["single-contact/A/critical"])
        #expect(rows(d22, .open) == ["discount-creep/C/warning"])

        let written = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("outbox/digests").path
        ).sorted()
        #expect(written == ["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-22"])
        #expect(try store.lastDigest(lead: "anna.lead@example.com")?.date == "2026-11-22")
    }
}
