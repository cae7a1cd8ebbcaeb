import KamwatchData
import KamwatchVocabulary

/// One compiled rule: what it is called, what it says, and its type-checked expressions.
public struct Rule: Sendable {
    public let id: String
    /// The journal MESSAGE_ID of this rule's alerts (32 lower-case hex digits).
    public let messageID: String
    public let title: LocalizedText
    /// What the account manager should do about it.
    public let advice: LocalizedText
    /// The rule file it came from, as given to the loader.
    public let file: String
    /// Where the rule file gives the id (its `id:` value), and that source line.
    public let idLocation: RuleLocation
    let idSourceLine: String?
    /// The conditions as the rule file writes them (for `kamwatch explain`).
    public let conditionTexts: ConditionTexts
    /// `for:` and `keep_firing_for:`.
    public let timing: RuleTiming
    /// Evidence names, in the rule file's order.
    public var evidenceNames: [String] { evidence.map(\.name) }
    /// Labels and formats the rule file gives its evidence values, by name.
    public let evidenceStyles: [String: EvidenceStyle]

    /// How people read evidence value `name` (its key as is, when the file gives no label).
    public func evidenceStyle(_ name: String) -> EvidenceStyle { evidenceStyles[name] ?? EvidenceStyle() }

    let scope: Typed?
    let definitions: [(name: String, body: Typed)]
    let when: Typed?
    let critical: Typed?
    let warning: Typed?
    let evidence: [(name: String, body: Typed)]
    /// Values the messages print: the evidence, then definitions used only by messages.
    let messageValues: [Typed]
    let messages: [Language: MessageTemplate]
    /// The columns the rule was compiled against (its column slots index these).
    let schema: BookSchema
}

extension Rule {
    /// The error for this rule's id when an earlier file (`first`) already has it, at the `id:`.
    public func duplicateIDError(alsoIn first: String) -> RuleError {
        RuleError(
            location: idLocation, message: "duplicate rule id \"\(id)\" (also in \(first))", sourceLine: idSourceLine,
            length: id.unicodeScalars.count)
    }
}

/// A rule's conditions as written in its file; `nil` where the file has none.
public struct ConditionTexts: Sendable, Hashable {
    public var scope: String?
    public var when: String?
    public var critical: String?
    public var warning: String?
}
