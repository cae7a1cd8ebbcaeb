import Foundation
import KamwatchDaemon
import KamwatchData
import KamwatchRules
import KamwatchVocabulary

/// `kamwatch rules check PATH…`: validate rule files without evaluating them.
public struct RulesCheck: Sendable {
    /// What the check prints: one line per valid file and a summary on standard output, the
    /// errors on standard error.
    public struct Report: Sendable, Equatable {
        public var lines = ""
        public var errors = ""
        public var checked = 0
        public var ok = 0
        public var failed = 0
    }

    public var paths: [String]
    /// A sources file whose columns of the user's own (`type:`) the rules may read.
    public var sources: String?
    /// A config file whose `sources:` is used when `sources` is `nil`.
    public var config: String?
    /// Where `KAMWATCH_SOURCES_DIR` (the shipped presets) is looked up.
    public var environment: [String: String]

    public init(
        paths: [String], sources: String? = nil, config: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.paths = paths
        self.sources = sources
        self.config = config
        self.environment = environment
    }

    /// Prints the report; fails with exit status 2 when any path or file has an error, or the
    /// sources file (or config) does.
    public func run(output: Output) throws(CommandFailure) {
        let report = check(schema: try schema())
        output.err(report.errors)
        output.out(report.lines)
        if report.failed > 0 { throw CommandFailure(nil, command: "rules check", exitCode: 2) }
    }

    /// The columns rules may read: SPEC §1's, and those of the user's own in the sources file
    /// (`--sources`, or the config's `sources:`).
    func schema() throws(CommandFailure) -> BookSchema {
        var path = sources
        if path == nil, let config {
            do {
                path = try DaemonConfig.load(path: config).sources
            } catch {
                throw CommandFailure("\(error)", command: "rules check", exitCode: 2)
            }
        }
        guard let path else { return .standard }
        return try SourcesRun.plan(path, environment: environment).schema
    }

    /// Checks every rule file of `paths` against `schema`; a rule id already seen in an earlier
    /// file is an error.
    public func check(schema: BookSchema = .standard) -> Report {
        var report = Report()
        let files = collectFiles(into: &report)
        var seen: [String: String] = [:]
        for file in files {
            switch RuleSet.loadFile(file, schema: schema) {
            case .success(let rule):
                if let other = seen[rule.id] {
                    report.errors += rule.duplicateIDError(alsoIn: other).description + "\n"
                    report.failed += 1
                } else {
                    seen[rule.id] = file
                    report.lines += "\(file): OK (\(rule.id))\n"
                    report.ok += 1
                }
            case .failure(let errors):
                report.errors += errors.description + "\n"
                report.failed += 1
            }
        }
        report.checked = files.count
        let s = files.count == 1 ? "" : "s"
        report.lines += "\(files.count) rule file\(s) checked: \(report.ok) OK, \(report.failed) with errors\n"
        return report
    }

    /// The rule files of each path: a directory's `*.yaml` / `*.yml`, or the path itself. A
    /// missing path or a directory without rule files counts as a failure.
    private func collectFiles(into report: inout Report) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                report.errors += "\(path): no such file or directory\n"
                report.failed += 1
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            do {
                let found = try RuleSet.ruleFiles(in: path)
                if found.isEmpty {
                    report.errors += "\(path): no rule files (*.yaml, *.yml)\n"
                    report.failed += 1
                }
                files += found
            } catch {
                report.errors += error.description + "\n"
                report.failed += 1
            }
        }
        return files
    }
}
