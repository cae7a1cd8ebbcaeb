import Foundation
import KamwatchData
import KamwatchVocabulary
import Yams

/// A sources file (SPEC §6): how a CRM's exports map onto the tables, read strictly from
/// YAML (unknown keys are errors with file, line and column), `extends:` a shipped preset,
/// compiled into the reader's `SourcePlan`.
public enum SourcesFile {
    /// The shipped presets' names.
    public static let presets = ["salesforce", "hubspot", "bitrix24", "amocrm", "1c"]

    /// Reads and compiles `path`; `presets` is the directory of the shipped presets
    /// (`RulesDirectory.shippedSources` when `nil`).
    public static func load(path: String, presets: String? = nil) throws(RuleErrors) -> SourcePlan {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RuleErrors([
                RuleError(
                    location: RuleLocation(file: path, line: 0, column: 0), message: "cannot read the sources file")
            ])
        }
        return try parse(file: path, text: text, presets: presets ?? RulesDirectory.shippedSources())
    }

    /// Compiles the text of a sources file named `file`.
    public static func parse(file: String, text: String, presets: String?) throws(RuleErrors) -> SourcePlan {
        var errors: [RuleError] = []
        guard let own = SourcesFileReader.read(file: file, text: text, errors: &errors) else {
            throw RuleErrors(errors)
        }
        var merged = SourcesFileReader.Blocks()
        if let (name, node) = own.extends {
            let path = presets.map { "\($0)/\(name).yaml" }
            if let path, FileManager.default.fileExists(atPath: path),
                let presetText = try? String(contentsOfFile: path, encoding: .utf8)
            {
                if let preset = SourcesFileReader.read(file: path, text: presetText, errors: &errors) {
                    merged = preset.blocks
                }
            } else {
                let known = presets.flatMap { dir in
                    (try? FileManager.default.contentsOfDirectory(atPath: dir))?.filter { $0.hasSuffix(".yaml") }
                        .map { String($0.dropLast(5)) }.sorted()
                }
                let list = (known?.isEmpty == false ? known! : Self.presets).joined(separator: ", ")
                errors.append(
                    own.source.error("unknown preset \"\(name)\" (the shipped presets are \(list))", at: node))
            }
        }
        merged.merge(own.blocks)
        var tables: [TableName: TableSource] = [:]
        for table in TableName.allCases {
            guard let block = merged.tables[table] else { continue }
            if let compiled = block.compile(table: table, errors: &errors) { tables[table] = compiled }
        }
        guard errors.isEmpty else { throw RuleErrors(errors) }
        return SourcePlan(file: file, tables: tables)
    }
}
