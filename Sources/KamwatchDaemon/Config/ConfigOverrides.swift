import KamwatchVocabulary

/// Command-line flags that win over the config file.
public struct ConfigOverrides: Sendable, Equatable {
    public var configPath: String?
    public var dataDir: String?
    public var rulesDir: String?
    public var stateDir: String?
    public var outboxDir: String?
    public var sources: String?

    public init(
        configPath: String? = nil, dataDir: String? = nil, rulesDir: String? = nil, stateDir: String? = nil,
        outboxDir: String? = nil, sources: String? = nil
    ) {
        self.sources = sources
        self.configPath = configPath
        self.dataDir = dataDir
        self.rulesDir = rulesDir
        self.stateDir = stateDir
        self.outboxDir = outboxDir
    }

    /// The config file (`configPath`, else the default path when it exists, else the defaults)
    /// with these flags applied.
    public func load() throws(InputIssue) -> DaemonConfig {
        var c = try DaemonConfig.load(path: configPath)
        if let dataDir { c.dataDir = dataDir }
        if let rulesDir { c.rulesDir = rulesDir }
        if let stateDir { c.stateDir = stateDir }
        if let outboxDir { c.outboxDir = outboxDir }
        if let sources { c.sources = sources }
        return c
    }
}
