import Foundation
import KamwatchData
import KamwatchRules
import KamwatchVocabulary

/// `kamwatch sources suggest DIR`: recognises which shipped preset's files and headers are in
/// an export directory and prints a starting sources file, listing the headers it could not place.
public struct SourcesSuggest: Sendable {
    public var directory: String
    /// The presets directory; `nil` for the shipped one.
    public var presets: String?

    public init(directory: String, presets: String? = nil) {
        self.directory = directory
        self.presets = presets
    }

    /// How well one preset fits the directory.
    struct Fit {
        var name: String
        /// Tables whose files are there with every header the preset reads.
        var tables: Int
        var reports: [TableName: [FileReport]]
    }

    public func run(output: Output) throws(CommandFailure) {
        guard let presetsDirectory = presets ?? RulesDirectory.shippedSources() else {
            throw CommandFailure("no shipped sources presets found (set KAMWATCH_SOURCES_DIR)")
        }
        let names: [String]
        do {
            names = try DataDirectory.scanNames(directory)
        } catch {
            throw CommandFailure(error.description)
        }
        var best: Fit?
        for preset in SourcesFile.presets {
            let path = "\(presetsDirectory)/\(preset).yaml"
            guard let plan = try? SourcesFile.load(path: path, presets: presetsDirectory) else { continue }
            let fit = Self.fit(preset, plan: plan, names: names, directory: directory)
            if fit.tables > (best?.tables ?? 0) { best = fit }
        }
        output.out(Self.render(best, directory: directory))
    }

    static func fit(_ name: String, plan: SourcePlan, names: [String], directory: String) -> Fit {
        let files = plan.assign(names).filter { plan.tables[$0.key] != nil }
        let data = TableReader.read(files, in: directory, sources: plan)
        var fit = Fit(name: name, tables: 0, reports: [:])
        for (table, tableData) in data {
            let readable = tableData.files.filter { $0.failure == nil && $0.header != nil }
            fit.reports[table] = readable
            let complete = readable.contains { file in
                !tableData.issues.contains { $0.file == file.name && $0.reason.contains("every row is bad") }
            }
            if complete { fit.tables += 1 }
        }
        return fit
    }

    /// The starting sources file: `extends:` the preset, and per table the headers it leaves out.
    static func render(_ fit: Fit?, directory: String) -> String {
        guard let fit else {
            return """
                # kamwatch sources suggest: no shipped preset recognises the files in \(directory).
                # Write the tables' blocks yourself (docs/sources.md), or name the files as the
                # data directory's own layout says (docs/data.md).
                version: 1
                tables: {}

                """
        }
        var out = """
            # kamwatch sources suggest: the files in \(directory) look like a \(fit.name) export.
            # The preset reads the CRM's standard fields. Below, per table, are the headers it does
            # not place: map the ones you need (tier, lead, parent_id, until, list_amount, cogs, …)
            # by moving them under tables: (see docs/sources.md).
            version: 1
            extends: \(fit.name)

            """
        for table in TableName.allCases {
            guard let reports = fit.reports[table], !reports.isEmpty else { continue }
            out += "# tables:\n#   \(table.rawValue):\n#     columns:\n"
            var seen = Set<String>()
            for report in reports {
                for cell in report.header?.cells ?? [] where cell.column == nil && !cell.text.isEmpty {
                    guard seen.insert(cell.text.lowercased()).inserted else { continue }
                    out += "#       ?: \"\(cell.text)\"    # not placed (\(report.name))\n"
                }
            }
        }
        return out
    }
}
