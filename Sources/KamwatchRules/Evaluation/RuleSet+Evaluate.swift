import Dispatch
import Foundation
import KamwatchData
import KamwatchVocabulary
import Synchronization

extension RuleSet {
    /// Evaluates every rule for every account as of `at`; alerts sorted by rule id, then
    /// account_id (byte order). Pure: no I/O, no clock.
    public func evaluate(book: Book, at: Day, locale: Language) -> [Alert] {
        evaluate(book: book, at: at, locale: locale, sharesScans: true)
    }

    /// `evaluate`, with aggregates over the same rows sharing one walk of them or each
    /// walking its own (the same alerts either way).
    func evaluate(book: Book, at: Day, locale: Language, sharesScans: Bool) -> [Alert] {
        // Column slots are the schema's the rules were compiled against.
        let book = book.conformed(to: schema)
        let accountCount = book.accountCount
        guard accountCount > 0, !rules.isEmpty else { return [] }
        let binder = Binder(book: book, at: at, sharesScans: sharesScans)
        let bound = rules.enumerated().map { binder.bind($1, index: $0) }
        let slots = binder.slotCount
        let scans = binder.scanCount
        let maker = AlertMaker(rules: rules, book: book, locale: locale)

        // The accounts in contiguous chunks, evaluated on every core and merged back in order.
        let workers = accountCount >= 20_000 ? max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) : 1
        // All rules' ladders chained into one closure that records each rule's outcome in the
        // context: calling captured closures costs no reference counting, loading them would.
        // Rules with the same scope are chained behind one test of it: most accounts are out
        // of scope, and for them the rules' outcomes are set without calling their ladders.
        var all: @Sendable (EvalContext) -> Void = { _ in }
        for group in Self.scopeGroups(bound).reversed() {
            var inScope: @Sendable (EvalContext) -> Void = { _ in }
            for i in group.reversed() {
                let check = bound[i].check
                let next = inScope
                inScope = { c in
                    c.outcome[i] = check(c)
                    next(c)
                }
            }
            let scope = bound[group[0]].scope
            let ruleCount = bound.count
            let next = all
            let chain = inScope
            if group.count == ruleCount {
                all = { c in
                    if scope(c, -1) {
                        chain(c)
                    } else {
                        c.outcome.update(repeating: 0, count: ruleCount)
                    }
                }
            } else {
                all = { c in
                    if scope(c, -1) {
                        chain(c)
                    } else {
                        for i in group { c.outcome[i] = 0 }
                    }
                    next(c)
                }
            }
        }
        let evaluateAccount = all
        // Several contiguous chunks per core, taken in turn: a core that starts late or meets
        // the costlier accounts takes fewer, so that the cores finish together.
        let chunkCount = workers == 1 ? 1 : workers * 16
        let box = ChunkResults(workers: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { w in
            let range = (accountCount * w / chunkCount)..<(accountCount * (w + 1) / chunkCount)
            let ctx = EvalContext(slots: slots, rules: bound.count, scans: scans)
            var out = Array(repeating: [Alert](), count: bound.count)
            for a in range {
                ctx.begin(account: a)
                evaluateAccount(ctx)
                for i in 0..<bound.count where ctx.outcome[i] != 0 {
                    let severity: Severity = ctx.outcome[i] == 2 ? .critical : .warning
                    out[i].append(maker.alert(rule: i, bound: bound[i], severity: severity, ctx))
                }
            }
            box.store(w, out)
        }
        let chunks = box.take()
        let sorted = book.accountIDsAscend
        var alerts: [Alert] = []
        for i in bound.indices {
            var ruleAlerts = chunks.flatMap { $0[i] }
            if !sorted {
                ruleAlerts.sort { $0.accountID.utf8.lexicographicallyPrecedes($1.accountID.utf8) }
            }
            alerts += ruleAlerts
        }
        return alerts
    }
}

extension RuleSet {
    /// The rules' indexes grouped by scope (rules without one form a group of their own), in
    /// the order each scope first appears.
    static func scopeGroups(_ bound: [BoundRule]) -> [[Int]] {
        var groups: [[Int]] = []
        var byKey: [String: Int] = [:]
        for (i, b) in bound.enumerated() {
            let key = b.scopeKey ?? ""
            if let g = byKey[key] {
                groups[g].append(i)
            } else {
                byKey[key] = groups.count
                groups.append([i])
            }
        }
        return groups
    }
}

/// Builds an alert from a bound rule's values for the context's account.
struct AlertMaker: Sendable {
    let accounts: AccountText
    /// Each rule's message templates, in English and Russian.
    let templates: [(en: MessageTemplate, ru: MessageTemplate)]
    let evidenceNames: [[String]]
    let ruleIDs: [String]
    let messageIDs: [String]
    let locale: Language

    init(rules: [Rule], book: Book, locale: Language) {
        accounts = AccountText(book: book)
        templates = rules.map { rule in
            let en = rule.messages[.en] ?? MessageTemplate(parts: [])
            return (en, rule.messages[.ru] ?? en)
        }
        evidenceNames = rules.map(\.evidenceNames)
        ruleIDs = rules.map(\.id)
        messageIDs = rules.map(\.messageID)
        self.locale = locale
    }

    func alert(rule i: Int, bound: BoundRule, severity: Severity, _ ctx: EvalContext) -> Alert {
        var values: [RuleValue] = []
        values.reserveCapacity(bound.values.count)
        for f in bound.values { values.append(f(ctx, -1)) }
        var evidence = Evidence()
        evidence.entries.reserveCapacity(bound.evidenceCount)
        for k in 0..<bound.evidenceCount { evidence.append(evidenceNames[i][k], values[k].evidence) }
        let a = ctx.account
        // Both languages, so that a digest reads in its own language whatever `locale` is.
        let messages = LocalizedText(
            en: templates[i].en.render(values, locale: .en), ru: templates[i].ru.render(values, locale: .ru))
        return Alert(
            rule: ruleIDs[i], accountID: accounts.id(a), accountName: accounts.name(a), severity: severity,
            message: messages[locale], evidence: evidence, owner: accounts.owner(a), lead: accounts.lead(a),
            messageID: messageIDs[i], messages: messages)
    }
}

/// Per-chunk results, written once for each chunk.
private final class ChunkResults: Sendable {
    private let chunks: Mutex<[[[Alert]]]>

    init(workers: Int) { chunks = Mutex(Array(repeating: [], count: workers)) }

    func store(_ w: Int, _ alerts: [[Alert]]) {
        chunks.withLock { $0[w] = alerts }
    }

    func take() -> [[[Alert]]] {
        chunks.withLock { $0 }
    }
}

/// The text columns of accounts that alerts carry.
struct AccountText: Sendable {
    let ids: TextColumn
    let names: TextColumn
    let owners: TextColumn
    let leads: TextColumn

    init(book: Book) {
        let t = book.accounts
        let s = TableSchema.accounts
        ids = texts(t, s.index(of: "account_id")!)
        names = texts(t, s.index(of: "name")!)
        owners = texts(t, s.index(of: "owner")!)
        leads = texts(t, s.index(of: "lead")!)
    }

    func id(_ a: Int) -> String { ids[a] ?? "" }
    func name(_ a: Int) -> String { names[a] ?? "" }
    func owner(_ a: Int) -> String? { owners[a] }
    func lead(_ a: Int) -> String? { leads[a] }

}
