import ArgumentParser
import Foundation
import KamwatchRules
import KamwatchVocabulary

/// `kamwatch rules`: work with rule files.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Work with rule files.",
        subcommands: [Check.self]
    )

    /// `kamwatch rules check DIR…`: validate rule files without evaluating them.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate rule files (every *.yaml / *.yml of a directory, or single files).",
            discussion:
                "Prints one line per valid file and the errors of the others; exit status 0 when all are valid, 2 otherwise."
        )

        @Argument(help: "Rule directories or files.")
        var paths: [String]

        func run() async throws {
            var files: [String] = []
            var out = ""
            var errors = ""
            var failed = 0
            for path in paths {
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                    errors += "\(path): no such file or directory\n"
                    failed += 1
                    continue
                }
                if isDir.boolValue {
                    do {
                        let found = try RuleSet.ruleFiles(in: path)
                        if found.isEmpty {
                            errors += "\(path): no rule files (*.yaml, *.yml)\n"
                            failed += 1
                        }
                        files += found
                    } catch {
                        errors += error.description + "\n"
                        failed += 1
                    }
                } else {
                    files.append(path)
                }
            }
            var seen: [String: String] = [:]
            var ok = 0
            for file in files {
                switch RuleSet.loadFile(file) {
                case .success(let rule):
                    if let other = seen[rule.id] {
                        errors += "\(file):1:1: duplicate rule id \"\(rule.id)\" (also in \(other))\n"
                        failed += 1
                    } else {
                        seen[rule.id] = file
                        out += "\(file): OK (\(rule.id))\n"
                        ok += 1
                    }
                case .failure(let e):
                    errors += e.description + "\n"
                    failed += 1
                }
            }
            let total = files.count
            out += "\(total) rule file\(total == 1 ? "" : "s") checked: \(ok) OK, \(failed) with errors\n"
            CheckCommand.write(errors, to: 2)
            CheckCommand.write(out, to: 1)
            if failed > 0 { throw ExitCode(2) }
        }
    }
}
