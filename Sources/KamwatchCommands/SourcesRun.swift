import Foundation
import KamwatchData
import KamwatchRules
import KamwatchVocabulary

/// Loading a sources file for a command (`--sources`): one path for `check`, `run`,
/// `data inspect` and anything else that reads exports through one.
public enum SourcesRun {
    /// The compiled sources file; an invalid one fails with its errors (exit status 2).
    public static func plan(
        _ path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CommandFailure) -> SourcePlan {
        do {
            return try SourcesFile.load(path: path, presets: RulesDirectory.shippedSources(environment: environment))
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
