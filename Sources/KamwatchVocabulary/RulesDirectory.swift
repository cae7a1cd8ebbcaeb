import Foundation

/// Where the rules are: the one lookup behind `--rules`, `rules_dir` and the shipped rules.
public enum RulesDirectory {
    /// No rules directory was given and none of the shipped places exists.
    public struct NotFound: Error, CustomStringConvertible {
        public init() {}

        public var description: String {
            "no rules directory found: pass --rules DIR, set rules_dir in the config, or set KAMWATCH_RULES_DIR"
        }
    }

    /// `configured` when given (checked later, by whoever reads it), else the shipped rules.
    public static func find(
        _ configured: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String? = currentExecutable()
    ) throws(NotFound) -> String {
        if let configured { return configured }
        guard let found = resolve(environment: environment, executablePath: executablePath) else { throw NotFound() }
        return found
    }

    /// The first existing directory of: `$KAMWATCH_RULES_DIR`, `<executable dir>/../share/kamwatch/rules`,
    /// `/usr/share/kamwatch/rules`, and the source tree's `rules/`.
    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String? = currentExecutable()
    ) -> String? {
        candidates(environment: environment, executablePath: executablePath).first(where: isDirectory)
    }

    /// The running program's path: `/proc/self/exe` where there is one (`argv[0]` may be a
    /// bare name found through `PATH`), else `argv[0]`.
    public static func currentExecutable() -> String? {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return target }
        return CommandLine.arguments.first
    }

    /// The places looked at, in order.
    public static func candidates(environment: [String: String], executablePath: String?) -> [String] {
        var out: [String] = []
        if let env = environment["KAMWATCH_RULES_DIR"], !env.isEmpty { out.append(env) }
        if let exe = executablePath, !exe.isEmpty {
            let url = URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent()
            out.append(url.deletingLastPathComponent().appendingPathComponent("share/kamwatch/rules").path)
        }
        out.append("/usr/share/kamwatch/rules")
        out.append(sourceTreeRules)
        return out
    }

    /// The shipped sources presets: the first existing of `$KAMWATCH_SOURCES_DIR` and the
    /// places the rules are looked for, with `sources` for `rules`.
    public static func shippedSources(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String? = currentExecutable()
    ) -> String? {
        var places: [String] = []
        if let env = environment["KAMWATCH_SOURCES_DIR"], !env.isEmpty { places.append(env) }
        var others = environment
        others["KAMWATCH_RULES_DIR"] = nil
        for rules in candidates(environment: others, executablePath: executablePath) {
            let share = URL(fileURLWithPath: rules).deletingLastPathComponent()
            places.append(share.appendingPathComponent("sources").path)
        }
        return places.first(where: isDirectory)
    }

    /// `rules/` of the source tree this library was built from.
    public static let sourceTreeRules: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("rules").path
    }()

    private static func isDirectory(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
    }
}
