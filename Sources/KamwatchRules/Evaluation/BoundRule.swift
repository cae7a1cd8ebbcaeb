import KamwatchVocabulary

/// A rule bound to one Book and day (a class, so the hot loop does not copy its closures).
///
/// Absent parts are constant closures rather than optionals: an optional closure is stored
/// in its most general form and every call would go through a reabstraction thunk.
final class BoundRule: Sendable {
    /// The scope, tested once per account (by rules sharing it, once for all of them).
    let scope: BoolFn
    let when: BoolFn
    let critical: BoolFn
    let warning: BoolFn
    /// The ladder for the current account once its scope has held: 0 = nothing, 1 = warning,
    /// 2 = critical. One closure with the parts captured, so the hot loop does not load (and
    /// retain) each.
    let check: @Sendable (EvalContext) -> UInt8
    /// The scope as text (`nil` when the rule has none): rules with the same scope test it once.
    let scopeKey: String?
    /// The rule's message values; the first `evidenceCount` are its evidence.
    let values: [ValueFn]
    let evidenceCount: Int

    /// Each definition's value (for explaining an account; not used by `evaluate`).
    let definitionValues: [ValueFn]

    init(
        scope: @escaping BoolFn, when: @escaping BoolFn, critical: @escaping BoolFn,
        warning: @escaping BoolFn,
        values: [ValueFn], evidenceCount: Int, definitionValues: [ValueFn], scopeKey: String?
    ) {
        self.scopeKey = scopeKey
        self.definitionValues = definitionValues
        self.scope = scope
        self.when = when
        self.critical = critical
        self.warning = warning
        self.values = values
        self.evidenceCount = evidenceCount
        check = { c in
            if !when(c, -1) { return 0 }
            if critical(c, -1) { return 2 }
            return warning(c, -1) ? 1 : 0
        }
    }
}
