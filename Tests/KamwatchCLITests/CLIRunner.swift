import Foundation
import Testing

/// Runs the built `kamwatch` binary (`.build/debug/kamwatch`) from the repository root.
///
/// Golden files live in `Golden/`. When output changes on purpose (new examples, a reworded
/// rule), regenerate them with `KAMWATCH_REGENERATE_GOLDEN=1 swift test --skip-build --filter
/// KamwatchCLITests` and review the diff before committing.
struct CLIRunner {
    /// The repository root, found from this file's path.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static let binary = root.appendingPathComponent(".build/debug/kamwatch")
    static let goldenDirectory = root.appendingPathComponent("Tests/KamwatchCLITests/Golden")

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `kamwatch arguments…` with `directory` (relative to the root) as working directory.
    static func run(
        _ arguments: [String], in directory: String = ".", environment: [String: String] = [:]
    ) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw CLIError(message: "\(binary.path) is missing: run `swift build` first")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root.appendingPathComponent(directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["KAMWATCH_RULES_DIR"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let errData = ReadBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// Compares `actual` with the golden file `name`; rewrites it when KAMWATCH_REGENERATE_GOLDEN is set.
    static func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        let url = goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["KAMWATCH_REGENERATE_GOLDEN"] != nil {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "differs from Golden/\(name)", sourceLocation: sourceLocation)
    }
}

struct CLIError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

private final class ReadBox: @unchecked Sendable {
    var data = Data()
}
