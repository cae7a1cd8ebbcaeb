import ArgumentParser
import KamwatchRules

/// `--locale en|ru`.
extension MessageLocale: ExpressibleByArgument {}
