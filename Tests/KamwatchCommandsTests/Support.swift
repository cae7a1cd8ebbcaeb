import Foundation
import KamwatchCommands
import KamwatchVocabulary

/// An `Output` that keeps what a command writes, for tests.
final class CapturedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var outBytes: [UInt8] = []
    private var errBytes: [UInt8] = []

    var output: Output {
        Output { stream, bytes in
            self.lock.withLock {
                switch stream {
                case .standardOutput: self.outBytes += bytes
                case .standardError: self.errBytes += bytes
                }
            }
        }
    }

    var stdout: String { lock.withLock { String(decoding: outBytes, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: errBytes, as: UTF8.self) } }
}

/// Paths of the source tree: the shipped rules, the examples and the CLI's golden files.
enum Repository {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }

    static func golden(_ name: String) throws -> String {
        try String(contentsOfFile: path("Tests/KamwatchCLITests/Golden/" + name), encoding: .utf8)
    }
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "kamwatch-commands-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` (intermediate directories created) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Copies a file of the source tree to `name` and returns the copy's path.
    @discardableResult
    func copy(_ relative: String, to name: String) throws -> String {
        try write(name, try String(contentsOfFile: Repository.path(relative), encoding: .utf8))
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
