import ArgumentParser
import KamwatchVocabulary

/// `kamwatch check --format`: a report for people, or one JSON object per alert and line.
public enum OutputFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case text
    case json
}
