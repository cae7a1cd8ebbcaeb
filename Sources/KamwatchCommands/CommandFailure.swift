import KamwatchVocabulary

/// Why a command stops with a non-zero exit status; `Kamwatch.main` prints it to standard error
/// and exits with `exitCode`.
public struct CommandFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The subcommand for the message's prefix (`kamwatch digest: …`); empty for `kamwatch: …`.
    public var command: String
    /// What went wrong; `nil` when the command's own output already says it.
    public var message: String?
    public var exitCode: Int32

    public init(_ message: String?, command: String = "", exitCode: Int32 = 2) {
        self.command = command
        self.message = message
        self.exitCode = exitCode
    }

    /// The line for standard error, newline included; empty when there is no message.
    public var description: String {
        guard let message else { return "" }
        return (command.isEmpty ? "kamwatch: " : "kamwatch \(command): ") + message + "\n"
    }
}
