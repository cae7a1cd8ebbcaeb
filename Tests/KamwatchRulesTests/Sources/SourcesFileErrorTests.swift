import Foundation
import KamwatchData
import KamwatchRules
import KamwatchVocabulary
import Testing

/// A sources file that is not right is refused with file:line:column, the line and a caret.
@Suite struct SourcesFileErrorTests {
    static let presets = RulesDirectory.sourceTreeRules.replacingOccurrences(of: "/rules", with: "/sources")

    func errors(_ text: String) -> String {
        do {
            _ = try SourcesFile.parse(file: "s.yaml", text: text, presets: Self.presets)
            return ""
        } catch {
            return error.description
        }
    }

    @Test func unknownKey() {
        let text = "version: 1\nextends: bitrix24\ntables:\n  accounts:\n    file: [\"x*.csv\"]\n"
        #expect(
            errors(text) == """
                s.yaml:5:5: unknown key "file" (expected one of files, encoding, delimiter, decimal, dates, skip_lines, where, columns)
                    file: ["x*.csv"]
                    ^~~~
                """)
    }

    @Test func unknownPreset() {
        #expect(
            errors("version: 1\nextends: bitrix\n") == """
                s.yaml:2:10: unknown preset "bitrix" (the shipped presets are 1c, amocrm, bitrix24, hubspot, salesforce)
                extends: bitrix
                         ^~~~~~
                """)
    }

    @Test func badGlob() {
        let text =
            "version: 1\ntables:\n  accounts:\n    files: [\"COMPANY_[0-9.csv\"]\n    columns: {account_id: ID}\n"
        #expect(
            errors(text) == """
                s.yaml:4:22: bad file pattern: unclosed "[" in the file pattern
                    files: ["COMPANY_[0-9.csv"]
                                     ^
                """)
    }

    @Test func expressionError() {
        let text = """
            version: 1
            extends: bitrix24
            tables:
              orders:
                where: '`Стадия сделки` = "Сделка успешна"'
            """
        #expect(
            errors(text) == """
                s.yaml:5:29: unexpected "=" (write "==" to compare)
                    where: '`Стадия сделки` = "Сделка успешна"'
                                            ^
                """)
    }

    @Test func unknownColumnAndFunction() {
        let text = """
            version: 1
            extends: hubspot
            tables:
              accounts:
                columns:
                  teir: Account tier
              orders:
                columns:
                  list_amount: {expr: 'nummber(`List price`)'}
            """
        #expect(
            errors(text) == """
                s.yaml:6:7: unknown column "teir" of accounts (expected one of account_id, name, tier, owner, lead, parent_id, industry, or a column of your own with type:)
                      teir: Account tier
                      ^~~~
                s.yaml:9:28: unknown function "nummber" (a sources file has coalesce, if, abs, before, after, trim, lower, upper, replace, number, date)
                      list_amount: {expr: 'nummber(`List price`)'}
                                           ^~~~~~~~~~~~~~~~~~~~~
                """)
    }

    @Test func everyShippedPresetCompiles() throws {
        for name in SourcesFile.presets {
            let plan = try SourcesFile.load(path: "\(Self.presets)/\(name).yaml", presets: Self.presets)
            #expect(plan.tables[.accounts] != nil, "\(name)")
            #expect(plan.tables[.orders] != nil, "\(name)")
        }
    }
}
