import Foundation
import KamwatchData
import KamwatchRules
import KamwatchVocabulary
import Testing

/// Exports read through a sources file: headers, maps, links, expressions and bad input.
@Suite struct SourceMappingTests {
    /// Writes `files` into a fresh directory and reads them through `sources`.
    func read(_ files: [String: String], sources: String) throws -> (tables: [TableName: TableData], issues: [String]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kw-src-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let plan = try SourcesFile.parse(file: "s.yaml", text: sources, presets: nil)
        var tables = try Book.readTables(directory: dir.path, sources: plan)
        var issues = TableName.allCases.flatMap { tables[$0]?.issues ?? [] }
        issues += plan.resolveLinks(&tables)
        return (tables, issues.map(\.description))
    }

    func texts(_ data: TableData?, _ column: String) -> [String?] {
        guard let data, let slot = data.schema.index(of: column), let t = data.columns[slot].textColumn else {
            return []
        }
        return (0..<t.count).map { t[$0] }
    }

    func numbers(_ data: TableData?, _ column: String) -> [Double] {
        guard let data, let slot = data.schema.index(of: column), case .number(let v) = data.columns[slot] else {
            return []
        }
        return v
    }

    static let companies = """
        "ID";"Название";"Уровень";"Головная";
        "1";"Альфа";"Ключевой";"";
        "2";"Бета";"vip";"альфа ";
        "3";"Гамма";"";"Гамма";
        "4";"Дубль";"";"";
        "5";"дубль";"";"Дубль";

        """

    static let sources = """
        version: 1
        tables:
          accounts:
            files: ["COMPANY*.csv"]
            columns:
              account_id: ID
              name: Название
              tier: {from: Уровень, map: {ключевой: key}, default: standard}
              parent_id: {from: Головная, link: name}
          orders:
            files: ["DEAL*.csv"]
            dates: dmy
            where: '`Стадия` == "won" and `Сумма` > 0'
            columns:
              order_id: ID
              account_id: {from: [Company, Компания], link: name}
              date: {expr: 'date(before(`Закрыта`, " "))'}
              net_amount: Сумма
              list_amount: {expr: '`Сумма` + coalesce(`Скидка`, 0)'}
              cogs: {expr: 'number(replace(after(`Себестоимость`, ":"), "_", ""))'}
        """

    @Test func mapsHeadersMapsAndLinks() throws {
        let deals = """
            ID;Стадия;Компания;Закрыта;Сумма;Скидка;Себестоимость
            10;won;АЛЬФА;1.7.2025 9:05;100;5;c:1_000
            11;lost;Альфа;01.07.2025;100;;
            12;won;Дубль;01.07.2025;50;;
            13;won;Бета;01.07.2025;0;;

            """
        let (tables, issues) = try read(["COMPANY_1.csv": Self.companies, "DEAL_1.csv": deals], sources: Self.sources)
        let accounts = tables[.accounts]
        #expect(texts(accounts, "tier") == ["key", "standard", nil, nil, nil])
        // A parent named (any case) links; one named by two accounts or the account itself does not.
        #expect(texts(accounts, "parent_id") == [nil, "1", nil, nil, nil])
        let orders = tables[.orders]
        #expect(texts(orders, "order_id") == ["10", "12"])
        #expect(texts(orders, "account_id") == ["1", "Дубль"])
        #expect(numbers(orders, "list_amount") == [105, 50])
        #expect(numbers(orders, "cogs").first == 1000)
        #expect(
            issues == [
                "COMPANY_1.csv:6:Головная: the name \"Дубль\" is shared by the accounts \"4\", \"5\": rows naming it link nowhere"
            ])
    }

    @Test("names repeated row after row link alike, by bytes and (any other text) by String")
    func repeatedNamesLink() throws {
        for other in ["Нет такой", "Cafe\u{301}"] {
            let names = ["Альфа", "Альфа", "альфа", "Дубль", "Дубль", other, other, "Альфа", "Бета"]
            var deals = "ID;Стадия;Компания;Закрыта;Сумма;Скидка;Себестоимость\n"
            for (i, name) in names.enumerated() { deals += "\(10 + i);won;\(name);01.07.2025;1;;\n" }
            let (tables, issues) = try read(
                ["COMPANY_1.csv": Self.companies, "DEAL_1.csv": deals], sources: Self.sources)
            #expect(
                texts(tables[.orders], "account_id") == ["1", "1", "1", "Дубль", "Дубль", other, other, "1", "2"]
            )
            #expect(
                issues == [
                    "COMPANY_1.csv:6:Головная: the name \"Дубль\" is shared by the accounts \"4\", \"5\": rows naming it link nowhere"
                ])
        }
    }

    @Test func missingHeaderMakesEveryRowBadOnce() throws {
        let deals = "ID;Стадия;Сумма\n10;won;1\n11;won;2\n"
        let (tables, issues) = try read(["COMPANY_1.csv": Self.companies, "DEAL_1.csv": deals], sources: Self.sources)
        #expect(tables[.orders]?.rowCount == 0)
        #expect(tables[.orders]?.badRowCount == 2)
        #expect(
            issues.filter { $0.hasPrefix("DEAL") } == [
                "DEAL_1.csv:1: the file has no headers \"Company\" or \"Компания\" (s.yaml:16), \"Закрыта\" (s.yaml:17), "
                    + "\"Скидка\" (s.yaml:19), \"Себестоимость\" (s.yaml:20): every row is bad"
            ])
    }

    @Test func mapValueThatDoesNotFitIsABadRow() throws {
        let text = """
            version: 1
            tables:
              accounts:
                files: ["a.csv"]
                columns: {account_id: id, name: n}
              orders:
                files: ["o.csv"]
                columns:
                  order_id: id
                  account_id: a
                  date: d
                  net_amount: {from: amount, map: {free: "0", n/a: none}}
                  list_amount: {expr: 'net_amount'}
            """
        let orders = "id,a,d,amount\n1,1,2025-01-01,free\n2,1,2025-01-01,n/a\n"
        let (tables, issues) = try read(["a.csv": "id,n\n1,A\n", "o.csv": orders], sources: text)
        #expect(numbers(tables[.orders], "list_amount") == [0])
        #expect(
            issues == [
                "o.csv:3:amount: invalid number \"none\" (expected digits with an optional sign and '.' decimal mark)"
            ])
    }

    @Test(arguments: [
        ("before(`t`, \"-\")", "ab"), ("after(`t`, \"-\")", "cd-ef"), ("before(`t`, \"+\")", "ab-cd-ef"),
        ("upper(`t`)", "AB-CD-EF"), ("lower(upper(`t`))", "ab-cd-ef"), ("replace(`t`, \"-\", \"\")", "abcdef"),
        ("trim(\"  x \")", "x"), ("if(`t` == \"ab-cd-ef\", \"y\", \"n\")", "y"), ("coalesce(`none`, `t`)", "ab-cd-ef"),
    ])
    func textFunctions(expr: String, expected: String) throws {
        let text = """
            version: 1
            tables:
              accounts:
                files: ["a.csv"]
                columns:
                  account_id: id
                  name: {expr: '\(expr)'}
            """
        let (tables, _) = try read(["a.csv": "id,t,none\n1,ab-cd-ef,\n"], sources: text)
        #expect(texts(tables[.accounts], "name") == [expected])
    }
}
