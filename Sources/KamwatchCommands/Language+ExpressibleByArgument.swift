import ArgumentParser
import KamwatchRules
import KamwatchVocabulary

/// `--locale en|ru`.
extension Language: ExpressibleByArgument {}
