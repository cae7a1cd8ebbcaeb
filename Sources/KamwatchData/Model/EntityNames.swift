import Foundation
import KamwatchVocabulary
import Synchronization

/// The ids of a book's entities, kept as the accounts' id column plus the few extra ids;
/// `String`s and dictionaries are only built when someone asks for them, since a big book's
/// millions of id `String`s cost more time and memory than the checks that use them.
final class EntityNames: Sendable {
    /// Account ids, one per account (a column shared with the accounts table).
    let accountIDs: TextColumn
    /// Ids named by events or parents that are not accounts, in entity order.
    let extras: [String]
    private let built: Mutex<Built>

    /// What was built so far, on first use.
    private struct Built {
        var ids: [String]?
        var index: [String: Int32]?
        var accountIndex: AccountIndex?
        var extraIndex: [String: Int32]?
    }

    init(accountIDs: TextColumn, extras: [String]) {
        self.accountIDs = accountIDs
        self.extras = extras
        self.built = Mutex(Built())
    }

    /// Names given as `String`s (the public `Book` initialiser).
    init(ids: [String], index: [String: Int32]) {
        self.accountIDs = TextColumn()
        self.extras = []
        self.built = Mutex(Built(ids: ids, index: index))
    }

    var ids: [String] {
        built.withLock { built in
            if let ids = built.ids { return ids }
            var out: [String] = []
            out.reserveCapacity(accountIDs.count + extras.count)
            for row in 0..<accountIDs.count { out.append(accountIDs[row] ?? "") }
            out.append(contentsOf: extras)
            built.ids = out
            return out
        }
    }

    var index: [String: Int32] {
        if let index = built.withLock({ $0.index }) { return index }
        let ids = self.ids
        var out: [String: Int32] = [:]
        out.reserveCapacity(ids.count)
        for (i, id) in ids.enumerated() { out[id] = Int32(i) }
        built.withLock { $0.index = out }
        return out
    }

    /// The accounts' index (built once, on first use).
    var accountIndex: AccountIndex {
        built.withLock { built in
            if let index = built.accountIndex { return index }
            let index = AccountIndex(ids: accountIDs)
            built.accountIndex = index
            return index
        }
    }

    /// Entity index of `id`, without building `String`s for every account.
    func entity(of id: String) -> Int32? {
        let given = built.withLock { $0.ids != nil || $0.index != nil }
        if given { return index[id] }
        let (accounts, extraIndex) = built.withLock { built -> (AccountIndex, [String: Int32]) in
            if built.accountIndex == nil {
                built.accountIndex = AccountIndex(ids: accountIDs)
                var e: [String: Int32] = [:]
                for (k, x) in extras.enumerated() where e[x] == nil { e[x] = Int32(accountIDs.count + k) }
                built.extraIndex = e
            }
            return (built.accountIndex!, built.extraIndex!)
        }
        var id = id
        let found = id.withUTF8 { u -> Int32 in
            guard let p = u.baseAddress, u.count > 0 else { return -1 }
            return accounts.find(p, u.count)
        }
        return found >= 0 ? found : extraIndex[id]
    }
}
