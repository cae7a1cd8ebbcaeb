import ArgumentParser
import KamwatchVocabulary

/// `kamwatch data inspect --rows`: the format of the good rows on standard output.
public enum RowFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case json
}
