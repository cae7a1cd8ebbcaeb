import ArgumentParser
import KamwatchData
import KamwatchVocabulary

/// `kamwatch data inspect --table accounts|contacts|…`.
extension TableName: ExpressibleByArgument {}
