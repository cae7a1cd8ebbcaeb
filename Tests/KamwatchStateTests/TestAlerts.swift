import Foundation
import KamwatchRules
import KamwatchState
import KamwatchVocabulary

/// Small builders shared by the state tests.
enum TestAlerts {
    static func snapshot(
        _ rule: String, _ account: String, _ severity: Severity = .warning, message: String = "m",
        evidence: Evidence = ["n": .number(1)]
    ) -> Alert {
        Alert(
            rule: rule, accountID: account, accountName: "Name \(account)", severity: severity, message: message,
            evidence: evidence, owner: "owner@x", lead: "lead@x", revenueAtStake: 100)
    }

    static func open(_ s: Alert, since: Date = Date(timeIntervalSince1970: 0)) -> OpenAlert {
        OpenAlert(s, since: since)
    }

    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kamwatch-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }
}
