import KamwatchData
import KamwatchVocabulary

/// Builds a `Book` from in-memory rows, through the same assembly as the CSV loader.
struct TestBook {
    /// Rows per table, each a dictionary of column name → cell text (absent = missing).
    var rows: [TableName: [[String: String]]] = [:]

    mutating func account(
        _ id: String, tier: String? = "strategic", parent: String? = nil, name: String? = nil,
        owner: String? = nil, lead: String? = nil
    ) {
        var r = ["account_id": id, "name": name ?? "Account \(id)"]
        r["tier"] = tier
        r["parent_id"] = parent
        r["owner"] = owner
        r["lead"] = lead
        rows[.accounts, default: []].append(r)
    }

    mutating func contact(_ account: String, since: Day? = nil, until: Day? = nil, role: String? = nil) {
        var r = ["contact_id": "c\(rows[.contacts]?.count ?? 0)", "account_id": account]
        r["since"] = since?.description
        r["until"] = until?.description
        r["role"] = role
        rows[.contacts, default: []].append(r)
    }

    mutating func order(_ account: String, _ date: Day, list: Double, net: Double, cogs: Double? = nil) {
        var r = [
            "order_id": "o\(rows[.orders]?.count ?? 0)", "account_id": account, "date": date.description,
            "list_amount": "\(list)", "net_amount": "\(net)",
        ]
        r["cogs"] = cogs.map { "\($0)" }
        rows[.orders, default: []].append(r)
    }

    mutating func cost(_ account: String, _ date: Day, _ amount: Double) {
        rows[.serviceCosts, default: []].append([
            "account_id": account, "date": date.description, "amount": "\(amount)",
        ])
    }

    mutating func event(_ account: String, _ date: Day, type: String, counterparty: String? = nil) {
        var r = ["account_id": account, "date": date.description, "type": type]
        r["counterparty"] = counterparty
        rows[.events, default: []].append(r)
    }

    func build() -> Book { assembled().book }

    /// The book and the problems found while linking it.
    func assembled() -> (book: Book, issues: [InputIssue]) {
        var tables: [TableName: TableData] = [:]
        for name in TableName.allCases {
            var data = TableData.empty(name)
            let list = rows[name] ?? []
            for (i, spec) in data.schema.columns.enumerated() {
                let cells = list.map { $0[spec.name] }
                switch spec.kind {
                case .text, .keyword:
                    var col = TextColumn()
                    for c in cells {
                        if let c {
                            col.append(Array((spec.kind == .keyword ? c.lowercased() : c).utf8))
                        } else {
                            col.appendAbsent()
                        }
                    }
                    data.columns[i] = .text(col)
                case .number:
                    data.columns[i] = .number(cells.map { $0.flatMap(Double.init) ?? .nan })
                case .date:
                    data.columns[i] = .date(cells.map { $0.flatMap { Day(iso: $0)?.ordinal } ?? Column.absentDate })
                }
            }
            data.lines = (0..<list.count).map { UInt32($0 + 2) }
            data.fileRowStarts = [0, list.count]
            data.files = [FileReport(name: "\(name.rawValue).csv", gzip: false)]
            tables[name] = data
        }
        return Book.assemble(tables)
    }
}

/// The as-of day most tests use.
let testAt = Day(iso: "2026-11-20")!
