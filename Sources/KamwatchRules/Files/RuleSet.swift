import Foundation
import KamwatchData
import KamwatchVocabulary

/// The rules of one rules directory, compiled once and evaluated many times.
public struct RuleSet: Sendable {
    /// The rules, sorted by id.
    public let rules: [Rule]

    /// The columns the rules were compiled against: SPEC §1's and a sources file's own.
    public var schema: BookSchema { rules.first?.schema ?? .standard }

    /// A rule set of already compiled rules; duplicate ids are the caller's problem.
    public init(rules: [Rule]) { self.rules = rules.sorted { $0.id < $1.id } }

    /// Each rule's evidence labels and formats, by rule id then evidence name.
    public var evidenceStyles: [String: [String: EvidenceStyle]] {
        Dictionary(uniqueKeysWithValues: rules.map { ($0.id, $0.evidenceStyles) })
    }

    /// The rule with this id.
    public func rule(id: String) -> Rule? { rules.first { $0.id == id } }

    /// Compiles one rule file's text; `file` is how errors name it. `schema` gives the columns
    /// rules may read: SPEC §1's, and those of the user's own that a sources file declares.
    public static func compile(file: String, text: String, schema: BookSchema = .standard) -> Result<Rule, RuleErrors> {
        RuleFileParser.parse(file: file, text: text, schema: schema)
    }

    /// Every `*.yaml` / `*.yml` file of `directory` (hidden files skipped), in file-name order.
    public static func ruleFiles(in directory: String) throws(RuleErrors) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw RuleErrors([
                RuleError(
                    location: RuleLocation(file: directory, line: 0, column: 0), message: "cannot read rules directory")
            ])
        }
        return names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0 }
    }

    /// Loads and compiles every rule file of `directory` against `schema`. Throws the errors of
    /// all files (and duplicate ids) together.
    public static func load(directory: String, schema: BookSchema = .standard) throws(RuleErrors) -> RuleSet {
        var rules: [Rule] = []
        var errors: [RuleError] = []
        let files = try ruleFiles(in: directory)
        // An empty directory is almost always the wrong one: evaluating nothing would look like "all clear".
        if files.isEmpty {
            throw RuleErrors([
                RuleError(
                    location: RuleLocation(file: directory, line: 0, column: 0),
                    message: "no rule files (*.yaml, *.yml)")
            ])
        }
        for path in files {
            switch loadFile(path, schema: schema) {
            case .success(let rule): rules.append(rule)
            case .failure(let e): errors += e.errors
            }
        }
        var seen: [String: Rule] = [:]
        for rule in rules {
            if let first = seen[rule.id] {
                errors.append(rule.duplicateIDError(alsoIn: first.file))
            } else {
                seen[rule.id] = rule
            }
        }
        if !errors.isEmpty { throw RuleErrors(errors) }
        return RuleSet(rules: rules)
    }

    /// Reads and compiles one rule file against `schema`.
    public static func loadFile(_ path: String, schema: BookSchema = .standard) -> Result<Rule, RuleErrors> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(
                RuleErrors([
                    RuleError(location: RuleLocation(file: path, line: 0, column: 0), message: "cannot read file")
                ]))
        }
        let bytes = [UInt8](data)
        if let at = RuleSourceText.firstInvalidUTF8(bytes) {
            let source = RuleSourceText(file: path, text: String(decoding: bytes, as: UTF8.self))
            return .failure(
                RuleErrors([source.error("not UTF-8 text: an invalid byte", line: at.line, column: at.column)]))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return compile(file: path, text: text, schema: schema)
    }
}
