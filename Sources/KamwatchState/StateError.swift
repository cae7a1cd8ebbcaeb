import Foundation
import KamwatchVocabulary

/// Why the state database could not be opened or used.
public enum StateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists but is not a kamwatch state database (or is damaged).
    case unreadable(path: String, reason: String)
    /// Opened read-only, but the file does not exist.
    case missing(path: String)
    /// The file was written by a newer kamwatch (it has migrations this build does not know).
    case newerSchema(path: String, unknown: [String])
    /// Opened read-only, but the file has not been brought up to this build's schema yet.
    case outdatedSchema(path: String, missing: [String])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "\(path): cannot use the state database: \(reason)"
        case .missing(let path):
            "\(path): state database does not exist (has `kamwatch run` ever started?)"
        case .newerSchema(let path, let unknown):
            "\(path): state database was written by a newer kamwatch (unknown migrations: "
                + unknown.joined(separator: ", ") + ")"
        case .outdatedSchema(let path, let missing):
            "\(path): state database predates this kamwatch (missing migrations: "
                + missing.joined(separator: ", ") + "); start `kamwatch run` once to upgrade it"
        }
    }
}
