import Foundation
import KamwatchRules
import KamwatchState
import KamwatchVocabulary

/// Small builders shared by the state tests.
enum TestAlerts {
    static func snapshot(
        _ rule: String, _ account: String, _ severity: Severity = .warning, message: String = "m",
        evidence: String = #"{"n":1}"#
    ) -> AlertSnapshot {
        AlertSnapshot(
            rule: rule, accountID: account, accountName: "Name \(account)", severity: severity, message: message,
            evidenceJSON: evidence, owner: "owner@x", lead: "lead@x", revenueAtStake: 100)
    }

    static func open(_ s: AlertSnapshot, since: Date = Date(timeIntervalSince1970: 0)) -> OpenAlert {
        OpenAlert(
            rule: s.rule, accountID: s.accountID, accountName: s.accountName, severity: s.severity, since: since,
            evidenceJSON: s.evidenceJSON, owner: s.owner, lead: s.lead, message: s.message,
            revenueAtStake: s.revenueAtStake)
    }

    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kamwatch-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }
}
