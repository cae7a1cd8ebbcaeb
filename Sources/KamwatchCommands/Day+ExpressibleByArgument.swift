import ArgumentParser
import KamwatchVocabulary

/// `--at YYYY-MM-DD` as a `Day`.
extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
}
