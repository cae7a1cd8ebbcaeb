import KamwatchData
import KamwatchVocabulary

/// Turns type-checked rules into closures over one Book's typed arrays, as of one day.
///
/// Account-independent parts (book-wide totals, windows) are computed here once; identical
/// aggregates anywhere in the rule set share one memo slot per account.
final class Binder {
    let book: Book
    let at: Int32
    private(set) var slotCount = 0
    /// Memoised aggregates and scopes by structural key.
    private var shared: [String: BoundFn] = [:]
    /// Bound definitions of the rule being bound.
    var definitions: [BoundFn] = []
    private var ruleIndex = 0
    /// The table whose rows an aggregate's value and filter read, while binding them.
    var rowTable: Table?
    /// For evaluating account-independent parts once, at bind time.
    let foldContext = EvalContext(slots: 0)
    /// Per-account row scans by table, scope, window and filter.
    private var scans: [String: RowScan] = [:]
    /// How many scans keep their rows in the context (read by more than one aggregate).
    private(set) var scanCount = 0
    /// Whether aggregates over the same rows share one walk of them per account.
    let sharesScans: Bool

    init(book: Book, at: Day, sharesScans: Bool = true) {
        self.book = book
        self.at = at.ordinal
        self.sharesScans = sharesScans
    }

    func newSlot() -> Int {
        slotCount += 1
        return slotCount - 1
    }

    /// Binds one rule; `index` keeps definitions of different rules apart in shared keys.
    func bind(_ rule: Rule, index: Int) -> BoundRule {
        ruleIndex = index
        definitions = []
        for d in rule.definitions { definitions.append(bindDefinition(d.body)) }
        // No Optional.map here: a closure passed through a generic is wrapped in thunks.
        var scope: BoolFn = { _, _ in true }
        if let s = rule.scope { scope = bool(s) }
        var when: BoolFn = { _, _ in true }
        if let w = rule.when { when = bool(w) }
        var critical: BoolFn = { _, _ in false }
        if let x = rule.critical { critical = bool(x) }
        var warning: BoolFn = { _, _ in false }
        if let x = rule.warning { warning = bool(x) }
        var values: [ValueFn] = []
        for v in rule.messageValues { values.append(value(v)) }
        var definitionValues: [ValueFn] = []
        for d in rule.definitions {
            let t = Typed(
                node: .definition(definitionValues.count), type: d.body.type, usesAccount: d.body.usesAccount,
                usesRow: false, usesDefinition: true)
            definitionValues.append(value(t))
        }
        return BoundRule(
            scope: scope, when: when, critical: critical, warning: warning, values: values,
            evidenceCount: rule.evidence.count,
            definitionValues: definitionValues, scopeKey: rule.scope.map(\.description))
    }

    private func bindDefinition(_ t: Typed) -> BoundFn {
        if !t.usesAccount { return fold(t) }
        let slot = newSlot()
        switch t.type {
        case .number, .duration, .null: return .number(memoNumber(slot, number(t)))
        case .day: return .day(memoDay(slot, day(t)))
        case .bool: return .bool(memoBool(slot, bool(t)))
        case .text: return .text(memoText(slot, text(t)))
        }
    }

    /// A constant closure holding `t`'s value (which must not depend on the account or row).
    func fold(_ t: Typed) -> BoundFn {
        let c = foldContext
        switch t.type {
        case .number, .duration, .null:
            let v = numberUnfolded(t)(c, -1)
            return .number({ @Sendable (_: EvalContext, _: Int) in v })
        case .day:
            let v = dayUnfolded(t)(c, -1)
            return .day({ @Sendable (_: EvalContext, _: Int) in v })
        case .bool:
            let v = bool(t)(c, -1)
            return .bool({ @Sendable (_: EvalContext, _: Int) in v })
        case .text:
            let v = textUnfolded(t)(c, -1)
            return .text({ @Sendable (_: EvalContext, _: Int) in v })
        }
    }

    /// One shared memoised closure per key; `make` binds it the first time.
    private func memo(key: String, type: ValueType, _ make: () -> BoundFn) -> BoundFn {
        if let f = shared[key] { return f }
        let slot = newSlot()
        let f: BoundFn
        switch type {
        case .number, .duration, .null: f = .number(memoNumber(slot, make().number))
        case .day: f = .day(memoDay(slot, make().day))
        case .bool: f = .bool(memoBool(slot, make().bool))
        case .text: f = .text(memoText(slot, make().text))
        }
        shared[key] = f
        return f
    }

    private func memoNumber(_ s: Int, _ f: @escaping NumberFn) -> NumberFn {
        { c, r in
            assert(s < c.slotCount, "memo slot used outside its evaluation")
            if c.stamps[s] == c.generation { return c.numbers[s] }
            let v = f(c, r)
            c.numbers[s] = v
            c.stamps[s] = c.generation
            return v
        }
    }

    private func memoDay(_ s: Int, _ f: @escaping DayFn) -> DayFn {
        { c, r in
            if c.stamps[s] == c.generation { return c.days[s] }
            let v = f(c, r)
            c.days[s] = v
            c.stamps[s] = c.generation
            return v
        }
    }

    private func memoBool(_ s: Int, _ f: @escaping BoolFn) -> BoolFn {
        { c, r in
            if c.stamps[s] == c.generation { return c.bools[s] }
            let v = f(c, r)
            c.bools[s] = v
            c.stamps[s] = c.generation
            return v
        }
    }

    private func memoText(_ s: Int, _ f: @escaping TextFn) -> TextFn {
        { c, r in
            if c.stamps[s] == c.generation { return c.texts[s] }
            let v = f(c, r)
            c.texts[s] = v
            c.stamps[s] = c.generation
            return v
        }
    }

    /// Whether `t` can be computed once for the whole evaluation.
    func foldable(_ t: Typed) -> Bool {
        if t.usesAccount || t.usesRow { return false }
        switch t.node {
        case .number, .day, .text, .bool, .null, .at: return false  // already trivial
        default: return true
        }
    }

    // MARK: aggregates

    /// The scan of `agg`'s rows: one per table, scope, window and filter among the
    /// per-account aggregates, its rows kept for the account once a second aggregate reads them.
    func rowScan(for agg: TypedAggregate, perAccount: Bool, _ make: () -> RowScan) -> RowScan {
        guard perAccount, sharesScans else { return make() }
        let w = agg.window.map { "(\($0.low),\($0.high)]" } ?? "all"
        let f = agg.filter.map(\.description) ?? "true"
        let usesDefinition =
            agg.filter?.usesDefinition == true || agg.window?.low.usesDefinition == true
            || agg.window?.high.usesDefinition == true
        let key =
            "\(agg.scope.rawValue).\(agg.table.rawValue) \(w) where \(f)" + (usesDefinition ? "@\(ruleIndex)" : "")
        if let scan = scans[key] {
            if scan.shared < 0 {
                scan.shared = scanCount
                scanCount += 1
            }
            return scan
        }
        let scan = make()
        scans[key] = scan
        return scan
    }

    func aggregate(_ agg: TypedAggregate, _ t: Typed) -> BoundFn {
        let key = "agg:\(agg):\(t.type.rawValue)" + (t.usesDefinition ? "@\(ruleIndex)" : "")
        if t.usesAccount {
            return memo(key: key, type: t.type) {
                AggregateBinder(binder: self, aggregate: agg, type: t.type, perAccount: true).bind()
            }
        }
        // Book-wide and account-independent: computed once, here, without a memo slot.
        if let f = shared[key] { return f }
        let f = AggregateBinder(binder: self, aggregate: agg, type: t.type, perAccount: false).bind()
        let c = foldContext
        let constant: BoundFn
        switch t.type {
        case .number, .duration, .null:
            let v = f.number(c, -1)
            constant = .number({ @Sendable (_: EvalContext, _: Int) in v })
        case .day:
            let v = f.day(c, -1)
            constant = .day({ @Sendable (_: EvalContext, _: Int) in v })
        case .bool:
            let v = f.bool(c, -1)
            constant = .bool({ @Sendable (_: EvalContext, _: Int) in v })
        case .text:
            let v = f.text(c, -1)
            constant = .text({ @Sendable (_: EvalContext, _: Int) in v })
        }
        shared[key] = constant
        return constant
    }
}
