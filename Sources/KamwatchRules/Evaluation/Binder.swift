import KamwatchData

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

    init(book: Book, at: Day) {
        self.book = book
        self.at = at.ordinal
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
        if let s = rule.scope { scope = memo(key: "scope:\(s)", type: .bool) { .bool(self.bool(s)) }.bool }
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
            let t = Typed(node: .definition(definitionValues.count), type: d.body.type, usesAccount: d.body.usesAccount, usesRow: false, usesDefinition: true)
            definitionValues.append(value(t))
        }
        return BoundRule(
            scope: scope, when: when, critical: critical, warning: warning, values: values, evidenceCount: rule.evidence.count,
            definitionValues: definitionValues)
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
    private func fold(_ t: Typed) -> BoundFn {
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
    private func foldable(_ t: Typed) -> Bool {
        if t.usesAccount || t.usesRow { return false }
        switch t.node {
        case .number, .day, .text, .bool, .null, .at: return false  // already trivial
        default: return true
        }
    }

    // MARK: numbers

    func number(_ t: Typed) -> NumberFn {
        foldable(t) ? fold(t).number : numberUnfolded(t)
    }

    private func numberUnfolded(_ t: Typed) -> NumberFn {
        switch t.node {
        case .number(let v): return { _, _ in v }
        case .null: return { _, _ in .nan }
        case .definition(let i): return definitions[i].number
        case .accountField(let col):
            let a = numbers(book.accounts, col)
            return { c, _ in a[c.account] }
        case .rowField(let col):
            let a = numbers(rowTable!, col)
            return { _, r in a[r] }
        case .negate(let x):
            let f = number(x)
            return { c, r in -f(c, r) }
        case .arithmetic(let op, let a, let b):
            if a.type == .day, b.type == .day {
                let fa = day(a)
                let fb = day(b)
                return { c, r in
                    let x = fa(c, r)
                    let y = fb(c, r)
                    return x == absentDay || y == absentDay ? .nan : Double(x) - Double(y)
                }
            }
            let fa = number(a)
            let fb = number(b)
            switch op {
            case .add: return { c, r in fa(c, r) + fb(c, r) }
            case .subtract: return { c, r in fa(c, r) - fb(c, r) }
            case .multiply: return { c, r in fa(c, r) * fb(c, r) }
            case .divide:
                return { c, r in
                    let y = fb(c, r)
                    return y == 0 ? .nan : fa(c, r) / y
                }
            }
        case .function(let f, let args):
            return numberFunction(f, args)
        case .aggregate(let agg):
            return aggregate(agg, t).number
        default:
            preconditionFailure("not a number: \(t)")
        }
    }

    /// Scalar functions. Multi-argument ones are built as chains of two-argument closures:
    /// closures kept in an array would be called through reabstraction thunks.
    private func numberFunction(_ f: ScalarFunction, _ args: [Typed]) -> NumberFn {
        switch f {
        case .coalesce:
            var chain = number(args[args.count - 1])
            for a in args.dropLast().reversed() {
                let g = number(a)
                let rest = chain
                chain = { c, r in
                    let v = g(c, r)
                    return v.isNaN ? rest(c, r) : v
                }
            }
            return chain
        case .min, .max:
            let isMin = f == .min
            var chain = number(args[0])
            for a in args.dropFirst() {
                let g = number(a)
                let left = chain
                chain = { c, r in
                    let x = left(c, r)
                    let y = g(c, r)
                    if x.isNaN { return y }
                    if y.isNaN { return x }
                    return isMin ? Swift.min(x, y) : Swift.max(x, y)
                }
            }
            return chain
        case .abs:
            let g = number(args[0])
            return { c, r in Swift.abs(g(c, r)) }
        case .round:
            let g = number(args[0])
            var scale = 1.0
            if args.count == 2, case .number(let n) = args[1].node {
                for _ in 0..<Int(n) { scale *= 10 }
            }
            let s = scale
            return { c, r in (g(c, r) * s).rounded() / s }
        case .if:
            let cond = bool(args[0])
            let a = number(args[1])
            let b = number(args[2])
            return { c, r in cond(c, r) ? a(c, r) : b(c, r) }
        }
    }

    // MARK: days

    func day(_ t: Typed) -> DayFn {
        foldable(t) ? fold(t).day : dayUnfolded(t)
    }

    private func dayUnfolded(_ t: Typed) -> DayFn {
        switch t.node {
        case .day(let d): return { _, _ in d }
        case .null: return { _, _ in absentDay }
        case .at:
            let a = at
            return { _, _ in a }
        case .definition(let i): return definitions[i].day
        case .accountField(let col):
            let a = dates(book.accounts, col)
            return { c, _ in a[c.account] }
        case .rowField(let col):
            let a = dates(rowTable!, col)
            return { _, r in a[r] }
        case .arithmetic(let op, let a, let b):
            let (dayPart, durationPart) = a.type == .day ? (a, b) : (b, a)
            let fd = day(dayPart)
            let fn = number(durationPart)
            let sign: Double = op == .subtract ? -1 : 1
            return { c, r in
                let d = fd(c, r)
                let n = fn(c, r)
                if d == absentDay || n.isNaN { return absentDay }
                return d &+ Int32(clamping: Int64((sign * n).rounded()))
            }
        case .function(let f, let args):
            switch f {
            case .coalesce:
                var chain = day(args[args.count - 1])
                for a in args.dropLast().reversed() {
                    let g = day(a)
                    let rest = chain
                    chain = { c, r in
                        let v = g(c, r)
                        return v == absentDay ? rest(c, r) : v
                    }
                }
                return chain
            case .min, .max:
                let isMin = f == .min
                var chain = day(args[0])
                for a in args.dropFirst() {
                    let g = day(a)
                    let left = chain
                    chain = { c, r in
                        let x = left(c, r)
                        let y = g(c, r)
                        if x == absentDay { return y }
                        if y == absentDay { return x }
                        return isMin ? Swift.min(x, y) : Swift.max(x, y)
                    }
                }
                return chain
            case .if:
                let cond = bool(args[0])
                let a = day(args[1])
                let b = day(args[2])
                return { c, r in cond(c, r) ? a(c, r) : b(c, r) }
            default:
                preconditionFailure("not a date function: \(f)")
            }
        case .aggregate(let agg):
            return aggregate(agg, t).day
        default:
            preconditionFailure("not a date: \(t)")
        }
    }

    // MARK: text

    func text(_ t: Typed) -> TextFn {
        foldable(t) ? fold(t).text : textUnfolded(t)
    }

    private func textUnfolded(_ t: Typed) -> TextFn {
        switch t.node {
        case .text(let s): return { _, _ in s }
        case .null: return { _, _ in nil }
        case .definition(let i): return definitions[i].text
        case .accountField(let col):
            let a = texts(book.accounts, col)
            return { c, _ in a[c.account] }
        case .rowField(let col):
            let a = texts(rowTable!, col)
            return { _, r in a[r] }
        case .function(let f, let args):
            let fs = args.dropFirst(f == .if ? 1 : 0).map(text)
            if f == .if {
                let cond = bool(args[0])
                return { c, r in cond(c, r) ? fs[0](c, r) : fs[1](c, r) }
            }
            return { c, r in
                for g in fs {
                    if let v = g(c, r) { return v }
                }
                return nil
            }
        case .aggregate(let agg):
            return aggregate(agg, t).text
        default:
            preconditionFailure("not a text: \(t)")
        }
    }

    // MARK: values

    func value(_ t: Typed) -> ValueFn {
        switch t.type {
        case .number, .duration, .null:
            let f = number(t)
            return { c, r in
                let v = f(c, r)
                return v.isNaN ? .null : .number(v)
            }
        case .day:
            let f = day(t)
            return { c, r in
                let v = f(c, r)
                return v == absentDay ? .null : .day(v)
            }
        case .bool:
            let f = bool(t)
            return { c, r in .bool(f(c, r)) }
        case .text:
            let f = text(t)
            return { c, r in f(c, r).map(RuleValue.text) ?? .null }
        }
    }

    // MARK: aggregates

    private func aggregate(_ agg: TypedAggregate, _ t: Typed) -> BoundFn {
        let key = "agg:\(agg):\(t.type.rawValue)" + (t.usesDefinition ? "@\(ruleIndex)" : "")
        if t.usesAccount {
            return memo(key: key, type: t.type) { AggregateBinder(binder: self, aggregate: agg, type: t.type).bind() }
        }
        // Book-wide and account-independent: computed once, here, without a memo slot.
        if let f = shared[key] { return f }
        let f = AggregateBinder(binder: self, aggregate: agg, type: t.type).bind()
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

/// A rule bound to one Book and day (a class, so the hot loop does not copy its closures).
///
/// Absent parts are constant closures rather than optionals: an optional closure is stored
/// in its most general form and every call would go through a reabstraction thunk.
final class BoundRule: Sendable {
    let scope: BoolFn
    let when: BoolFn
    let critical: BoolFn
    let warning: BoolFn
    /// The whole ladder for the current account: 0 = nothing, 1 = warning, 2 = critical.
    /// One closure with the parts captured, so the hot loop does not load (and retain) each.
    let check: @Sendable (EvalContext) -> UInt8
    /// The rule's message values; the first `evidenceCount` are its evidence.
    let values: [ValueFn]
    let evidenceCount: Int

    /// Each definition's value (for explaining an account; not used by `evaluate`).
    let definitionValues: [ValueFn]

    init(
        scope: @escaping BoolFn, when: @escaping BoolFn, critical: @escaping BoolFn, warning: @escaping BoolFn,
        values: [ValueFn], evidenceCount: Int, definitionValues: [ValueFn]
    ) {
        self.definitionValues = definitionValues
        self.scope = scope
        self.when = when
        self.critical = critical
        self.warning = warning
        self.values = values
        self.evidenceCount = evidenceCount
        check = { c in
            if !scope(c, -1) || !when(c, -1) { return 0 }
            if critical(c, -1) { return 2 }
            return warning(c, -1) ? 1 : 0
        }
    }
}

func numbers(_ t: Table, _ col: Int) -> [Double] {
    if case .number(let a) = t.columns[col] { return a }
    return Array(repeating: .nan, count: t.rowCount)
}

func dates(_ t: Table, _ col: Int) -> [Int32] {
    if case .date(let a) = t.columns[col] { return a }
    return Array(repeating: absentDay, count: t.rowCount)
}

func texts(_ t: Table, _ col: Int) -> TextColumn {
    if case .text(let a) = t.columns[col] { return a }
    return TextColumn(bytes: [], ends: Array(repeating: 0, count: t.rowCount))
}
