import Foundation
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

    public init(paths: [String]) {
        self.paths = paths
    }

    /// Prints the report; fails with exit status 2 when any path or file has an error.
    public func run(output: Output) throws(CommandFailure) {
        let report = check()
        output.err(report.errors)
        output.out(report.lines)
        if report.failed > 0 { throw CommandFailure(nil, command: "rules check", exitCode: 2) }
    }

    /// Checks every rule file of `paths`; a rule id already seen in an earlier file is an error.
    public func check() -> Report {
        var report = Report()
        let files = collectFiles(into: &report)
        var seen: [String: String] = [:]
        for file in files {
            switch RuleSet.loadFile(file) {
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
