import Foundation
import KamwatchVocabulary

/// The ids of a book's entities, kept as the accounts' id column plus the few extra ids;
/// `String`s and dictionaries are only built when someone asks for them, since a big book's
/// millions of id `String`s cost more time and memory than the checks that use them.
final class EntityNames: @unchecked Sendable {
    /// Account ids, one per account (a column shared with the accounts table).
    let accountIDs: TextColumn
    /// Ids named by events or parents that are not accounts, in entity order.
    let extras: [String]
    private let lock = NSLock()
    private var builtIDs: [String]?
    private var builtIndex: [String: Int32]?
    private var builtAccountIndex: AccountIndex?
    private var builtExtraIndex: [String: Int32]?

    init(accountIDs: TextColumn, extras: [String]) {
        self.accountIDs = accountIDs
        self.extras = extras
    }

    /// Names given as `String`s (the public `Book` initialiser).
    init(ids: [String], index: [String: Int32]) {
        self.accountIDs = TextColumn()
        self.extras = []
        self.builtIDs = ids
        self.builtIndex = index
    }

    var ids: [String] {
        lock.lock()
        defer { lock.unlock() }
        if let builtIDs { return builtIDs }
        var out: [String] = []
        out.reserveCapacity(accountIDs.count + extras.count)
        for row in 0..<accountIDs.count { out.append(accountIDs[row] ?? "") }
        out.append(contentsOf: extras)
        builtIDs = out
        return out
    }

    var index: [String: Int32] {
        if let built = lock.withLock({ builtIndex }) { return built }
        let ids = self.ids
        var out: [String: Int32] = [:]
        out.reserveCapacity(ids.count)
        for (i, id) in ids.enumerated() { out[id] = Int32(i) }
        lock.withLock { builtIndex = out }
        return out
    }

    /// Entity index of `id`, without building `String`s for every account.
    func entity(of id: String) -> Int32? {
        let given = lock.withLock { builtIDs != nil || builtIndex != nil }
        if given { return index[id] }
        let (accounts, extraIndex) = lock.withLock { () -> (AccountIndex, [String: Int32]) in
            if builtAccountIndex == nil {
                builtAccountIndex = AccountIndex(ids: accountIDs)
                var e: [String: Int32] = [:]
                for (k, x) in extras.enumerated() where e[x] == nil { e[x] = Int32(accountIDs.count + k) }
                builtExtraIndex = e
            }
            return (builtAccountIndex!, builtExtraIndex!)
        }
        var id = id
        let found = id.withUTF8 { u -> Int32 in
            guard let p = u.baseAddress, u.count > 0 else { return -1 }
            return accounts.find(p, u.count)
        }
        return found >= 0 ? found : extraIndex[id]
    }
}
