import ArgumentParser
import KamwatchData

/// `kamwatch data inspect --table accounts|contacts|…`.
extension TableName: ExpressibleByArgument {}
