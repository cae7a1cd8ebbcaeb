import KamwatchData
import KamwatchVocabulary

extension Binder {
    func bool(_ t: Typed) -> BoolFn {
        switch t.node {
        case .bool(let b): return { _, _ in b }
        case .null: return { _, _ in false }
        case .definition: break
        default:
            if !t.usesAccount && !t.usesRow {
                let v = boolUnfolded(t)(foldContext, -1)
                return { _, _ in v }
            }
        }
        return boolUnfolded(t)
    }

    private func boolUnfolded(_ t: Typed) -> BoolFn {
        switch t.node {
        case .bool(let b): return { _, _ in b }
        case .null: return { _, _ in false }
        case .definition(let i): return definitions[i].bool
        case .not(let x):
            let f = bool(x)
            return { c, r in !f(c, r) }
        case .and(let a, let b):
            let fa = bool(a)
            let fb = bool(b)
            return { c, r in fa(c, r) && fb(c, r) }
        case .or(let a, let b):
            let fa = bool(a)
            let fb = bool(b)
            return { c, r in fa(c, r) || fb(c, r) }
        case .compare(let op, let a, let b): return compare(op, a, b)
        case .isNull(let x, let negated): return isNull(x, negated)
        case .inList(let x, let items, let negated): return inList(x, items, negated)
        case .inWindow(let x, let low, let high):
            if case .rowField(let col) = x.node, isConstant(low), isConstant(high) {
                // A row's date against fixed bounds (`until in last 180d`): read straight from the column.
                let a = dates(rowTable!, col)
                let l = day(low)(foldContext, -1)
                let h = day(high)(foldContext, -1)
                return { _, r in
                    let d = a[r]
                    return d != absentDay && d > l && d <= h
                }
            }
            let fx = day(x)
            let fl = day(low)
            let fh = day(high)
            return { c, r in
                let d = fx(c, r)
                return d != absentDay && d > fl(c, r) && d <= fh(c, r)
            }
        case .contains(let x, let needle):
            return textTest(x, TextMatcher(alternatives: [needle]))
        case .matches(let x, let pattern):
            if let alts = pattern.alternatives { return textTest(x, TextMatcher(alternatives: alts)) }
            return textTest(x, TextMatcher(regex: pattern.source))
        case .activeOn(let d, let sinceCol, let untilCol):
            let since = dates(rowTable!, sinceCol)
            let until = dates(rowTable!, untilCol)
            if isConstant(d) {
                // The day is the same for every row (`active_on(at - 180d)`): computed once.
                let day = self.day(d)(foldContext, -1)
                if day == absentDay { return { _, _ in false } }
                return { _, r in
                    let s = since[r]
                    let u = until[r]
                    return (s == absentDay || s <= day) && (u == absentDay || u > day)
                }
            }
            let fd = day(d)
            return { c, r in
                let day = fd(c, r)
                if day == absentDay { return false }
                let s = since[r]
                let u = until[r]
                return (s == absentDay || s <= day) && (u == absentDay || u > day)
            }
        case .function(.if, let args):
            let cond = bool(args[0])
            let a = bool(args[1])
            let b = bool(args[2])
            return { c, r in cond(c, r) ? a(c, r) : b(c, r) }
        case .function(.coalesce, let args):
            // Booleans are never null, so the first argument decides.
            return bool(args[0])
        default:
            preconditionFailure("not a condition: \(t)")
        }
    }

    /// Whether `t` is the same for every account and row (so computed once, at bind time).
    private func isConstant(_ t: Typed) -> Bool { !t.usesAccount && !t.usesRow }

    private func compare(_ op: BinaryOperator, _ a: Typed, _ b: Typed) -> BoolFn {
        switch a.type {
        case .number, .duration, .null:
            let fa = number(a)
            let fb = number(b)
            switch op {
            case .equal: return { c, r in fa(c, r) == fb(c, r) }
            case .notEqual:
                return { c, r in
                    let x = fa(c, r)
                    let y = fb(c, r)
                    return !x.isNaN && !y.isNaN && x != y
                }
            case .less: return { c, r in fa(c, r) < fb(c, r) }
            case .lessEqual: return { c, r in fa(c, r) <= fb(c, r) }
            case .greater: return { c, r in fa(c, r) > fb(c, r) }
            default: return { c, r in fa(c, r) >= fb(c, r) }
            }
        case .day:
            let fa = day(a)
            let fb = day(b)
            let test: @Sendable (Int32, Int32) -> Bool
            switch op {
            case .equal: test = { $0 == $1 }
            case .notEqual: test = { $0 != $1 }
            case .less: test = { $0 < $1 }
            case .lessEqual: test = { $0 <= $1 }
            case .greater: test = { $0 > $1 }
            default: test = { $0 >= $1 }
            }
            return { c, r in
                let x = fa(c, r)
                let y = fb(c, r)
                return x != absentDay && y != absentDay && test(x, y)
            }
        case .text:
            if case .text(let lit) = b.node {
                let f = textTest(a, TextMatcher(equals: [lit]))
                return op == .equal ? f : negatePresent(a, f)
            }
            if case .text(let lit) = a.node {
                let f = textTest(b, TextMatcher(equals: [lit]))
                return op == .equal ? f : negatePresent(b, f)
            }
            let fa = text(a)
            let fb = text(b)
            let eq = op == .equal
            return { c, r in
                guard let x = fa(c, r), let y = fb(c, r) else { return false }
                return (x.lowercased() == y.lowercased()) == eq
            }
        case .bool:
            let fa = bool(a)
            let fb = bool(b)
            let eq = op == .equal
            return { c, r in (fa(c, r) == fb(c, r)) == eq }
        }
    }

    /// `x != literal`: false when x is null, like every comparison with null.
    private func negatePresent(_ x: Typed, _ f: @escaping BoolFn) -> BoolFn {
        let present = isNull(x, true)
        return { c, r in present(c, r) && !f(c, r) }
    }

    private func isNull(_ x: Typed, _ negated: Bool) -> BoolFn {
        let isNull: BoolFn
        switch x.type {
        case .number, .duration:
            let f = number(x)
            isNull = { c, r in f(c, r).isNaN }
        case .day:
            let f = day(x)
            isNull = { c, r in f(c, r) == absentDay }
        case .text:
            if case .accountField(let col) = x.node {
                let a = texts(book.accounts, col)
                isNull = { c, _ in !a.isPresent(c.account) }
            } else if case .rowField(let col) = x.node {
                let a = texts(rowTable!, col)
                isNull = { _, r in !a.isPresent(r) }
            } else {
                let f = text(x)
                isNull = { c, r in f(c, r) == nil }
            }
        case .bool: isNull = { _, _ in false }
        case .null: isNull = { _, _ in true }
        }
        if negated { return { c, r in !isNull(c, r) } }
        return isNull
    }

    private func inList(_ x: Typed, _ items: [Typed], _ negated: Bool) -> BoolFn {
        let present = isNull(x, true)
        let test: BoolFn
        switch x.type {
        case .text:
            let lits = items.compactMap { item -> String? in
                if case .text(let s) = item.node { return s }
                return nil
            }
            if lits.count == items.count {
                test = textTest(x, TextMatcher(equals: lits))
            } else {
                let fx = text(x)
                let fs = items.map(text)
                test = { c, r in
                    guard let v = fx(c, r)?.lowercased() else { return false }
                    return fs.contains { $0(c, r)?.lowercased() == v }
                }
            }
        case .day:
            let fx = day(x)
            test = anyItem(
                items.map { (item) -> BoolFn in
                    let g = day(item)
                    return { c, r in fx(c, r) == g(c, r) }
                })
        case .bool:
            let fx = bool(x)
            test = anyItem(
                items.map { (item) -> BoolFn in
                    let g = bool(item)
                    return { c, r in fx(c, r) == g(c, r) }
                })
        default:
            let fx = number(x)
            if items.allSatisfy({ !$0.usesAccount && !$0.usesRow }) {
                // A list of constants (the usual case): looked up, not compared one by one.
                let values = Set(items.map { number($0)(foldContext, -1) }.filter { !$0.isNaN })
                test = { c, r in values.contains(fx(c, r)) }
            } else {
                test = anyItem(
                    items.map { (item) -> BoolFn in
                        let g = number(item)
                        return { c, r in fx(c, r) == g(c, r) }
                    })
            }
        }
        // Null is in no list, and `null not in [...]` is false too.
        if negated { return { c, r in present(c, r) && !test(c, r) } }
        return test
    }

    /// Whether any of `tests` holds, tried in order.
    private func anyItem(_ tests: [BoolFn]) -> BoolFn {
        if tests.isEmpty { return { _, _ in false } }
        return balanced(tests) { a, b in { c, r in a(c, r) || b(c, r) } }
    }

    /// Applies `matcher` to a text value, straight on the column bytes when it is a column.
    private func textTest(_ x: Typed, _ matcher: TextMatcher) -> BoolFn {
        switch x.node {
        case .accountField(let col):
            let a = texts(book.accounts, col)
            return { c, _ in
                let range = a.range(c.account)
                return a.bytes.withUnsafeBufferPointer { matcher.test(UnsafeBufferPointer(rebasing: $0[range])) }
            }
        case .rowField(let col):
            let a = texts(rowTable!, col)
            return { _, r in
                let range = a.range(r)
                return a.bytes.withUnsafeBufferPointer { matcher.test(UnsafeBufferPointer(rebasing: $0[range])) }
            }
        default:
            let f = text(x)
            return { c, r in
                guard let s = f(c, r) else { return false }
                var s2 = s
                return s2.withUTF8 { matcher.test($0) }
            }
        }
    }
}
