import KamwatchData
import KamwatchVocabulary

/// What each rule computed for one account: for `kamwatch explain`-style tools.
public struct RuleExplanation: Sendable {
    public var rule: String
    /// The rule's `scope` held for the account.
    public var inScope: Bool
    /// The rule's `when` held (false when out of scope).
    public var holds: Bool
    /// Every `let:` definition's value, in file order (empty when out of scope).
    public var definitions: [(name: String, value: EvidenceValue)]
    /// Whether the `critical:` step held (`nil` when not reached: out of scope or `when` false).
    public var criticalHeld: Bool?
    /// Whether the `warning:` step held (`nil` when not reached: critical held first, or earlier).
    public var warningHeld: Bool?
    /// The alert the rule raises for the account, if any.
    public var alert: Alert?
    /// The rule's conditions as its file writes them.
    public var texts: ConditionTexts
}

extension RuleSet {
    /// Evaluates every rule for one account and shows the values behind the outcome;
    /// `nil` when the book has no account with this id.
    public func explain(book: Book, at: Day, accountID: String, locale: Language) -> [RuleExplanation]? {
        guard let account = book.accountIndex(of: accountID) else { return nil }
        let book = book.conformed(to: schema)
        let binder = Binder(book: book, at: at)
        let bound = rules.enumerated().map { binder.bind($1, index: $0) }
        let maker = AlertMaker(rules: rules, book: book, locale: locale)
        let ctx = EvalContext(slots: binder.slotCount, rules: rules.count, scans: binder.scanCount)
        ctx.begin(account: account)
        var out: [RuleExplanation] = []
        for (i, rule) in rules.enumerated() {
            let b = bound[i]
            let inScope = b.scope(ctx, -1)
            let holds = inScope && b.when(ctx, -1)
            var definitions: [(name: String, value: EvidenceValue)] = []
            if inScope {
                for (k, d) in rule.definitions.enumerated() {
                    definitions.append((d.name, b.definitionValues[k](ctx, -1).evidence))
                }
            }
            var alert: Alert?
            let criticalHeld = holds ? b.critical(ctx, -1) : nil
            let warningHeld = criticalHeld == false ? b.warning(ctx, -1) : nil
            if holds {
                switch b.check(ctx) {
                case 2: alert = maker.alert(rule: i, bound: b, severity: .critical, ctx)
                case 1: alert = maker.alert(rule: i, bound: b, severity: .warning, ctx)
                default: break
                }
            }
            out.append(
                RuleExplanation(
                    rule: rule.id, inScope: inScope, holds: holds, definitions: definitions, criticalHeld: criticalHeld,
                    warningHeld: warningHeld, alert: alert, texts: rule.conditionTexts))
        }
        return out
    }
}
