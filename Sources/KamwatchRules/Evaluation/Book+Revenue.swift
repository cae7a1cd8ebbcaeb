import KamwatchData
import KamwatchVocabulary

extension Book {
    /// The account's Σ net_amount over the last `days` days as of `at` (AT − days < D <= AT):
    /// the revenue at stake when an alert fires.
    public func netRevenue(ofAccount account: Int, at: Day, days: Int = 365) -> Double {
        guard account >= 0, account < orders.groupStarts.count - 1 else { return 0 }
        let s = TableSchema.orders
        let date = dates(orders, s.index(of: "date")!)
        let net = numbers(orders, s.index(of: "net_amount")!)
        let low = at.ordinal - Int32(days)
        var sum = 0.0
        for r in orders.rows(ofGroup: account) where date[r] > low && date[r] <= at.ordinal && !net[r].isNaN {
            sum += net[r]
        }
        return sum
    }

    /// `netRevenue(ofAccount:at:days:)` of the account with this id; 0 for an unknown id.
    public func netRevenue(ofAccountID id: String, at: Day, days: Int = 365) -> Double {
        accountIndex(of: id).map { netRevenue(ofAccount: $0, at: at, days: days) } ?? 0
    }
}
