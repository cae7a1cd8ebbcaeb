import Foundation
import KamwatchData
import KamwatchVocabulary

@testable import KamwatchRules

/// The repository's `rules/` directory, found from this file's path.
let shippedRulesDirectory: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("rules").path
}()

/// The shipped rules, loaded once.
let shippedRules: RuleSet = {
    do {
        return try RuleSet.load(directory: shippedRulesDirectory)
    } catch {
        fatalError("shipped rules do not load:\n\(error)")
    }
}()

/// Evaluates one shipped rule (by id) on `book` as of `at`.
func evaluate(_ ruleID: String, _ book: Book, at: Day = testAt, locale: Language = .en) -> [Alert] {
    RuleSet(rules: [shippedRules.rule(id: ruleID)!]).evaluate(book: book, at: at, locale: locale)
}

/// The single alert of `ruleID` for account "A", if any.
func alert(_ ruleID: String, _ book: Book, at: Day = testAt) -> Alert? {
    evaluate(ruleID, book, at: at).first { $0.accountID == "A" }
}

extension Alert {
    /// Evidence value by name.
    subscript(evidence key: String) -> EvidenceValue? { evidence[key] }
}
