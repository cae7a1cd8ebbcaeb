import Foundation
import KamwatchData
import KamwatchDigest
import KamwatchRules
import KamwatchState
import KamwatchVocabulary
import Testing

/// Writes the example digests to `.e2e/digest/samples/<language>/` for the end-to-end checks
/// (Python's e-mail parser, the Chromium rendering), which read real files.
@Suite("Sample digest files")
struct SampleDigestFiles {
    typealias E = ExampleDigest

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".e2e/digest/samples")

    @Test(arguments: Language.allCases)
    func writeSamples(language: Language) throws {
        let outbox = Self.folder.appendingPathComponent(language.rawValue)
        try? FileManager.default.removeItem(at: outbox)
        let options = try DigestOptions(
            outbox: outbox, from: "kamwatch <kamwatch@example.com>", fallback: E.fallback.value, allClear: true,
            timeZone: E.zone, language: language)
        let job = DigestJob(options: options, ruleTexts: E.ruleTexts, renderer: try DigestRenderer(language: language))
        // quiet@example.com's only alert came and went before the previous digest: all clear.
        let quiet = [TransitionState.firing, .resolved].enumerated().map { i, state in
            E.record(
                seq: 20 + Int64(i), time: E.at("2026-11-12 1\(i):00"), state: state, rule: "single-contact",
                accountID: "Q-1", accountName: "Quiet Co", severity: .warning, lead: "quiet@example.com")
        }
        let state = try StateFixture.store(
            log: E.transitions + quiet,
            digests: [
                (Day(iso: "2026-11-19")!, E.anna, 4), (Day(iso: "2026-11-19")!, LeadAddress("quiet@example.com")!, 21),
            ])
        let report = try job.run(date: E.date, now: E.at("2026-11-20 07:00"), state: state)
        // Manifest for the checks: file, tab, the subject kamwatch meant to write.
        let manifest = report.entries.map { "\($0.path)\t\($0.subject)\n" }.joined()
        try manifest.write(to: outbox.appendingPathComponent("subjects.tsv"), atomically: true, encoding: .utf8)
        #expect(report.entries.count == 4)
        #expect(report.entries.contains { $0.lead == "quiet@example.com" })
    }
}
