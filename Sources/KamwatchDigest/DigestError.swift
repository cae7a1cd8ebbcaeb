import KamwatchVocabulary

/// Why a digest could not be made or written; the text says where and why.
public enum DigestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A template or strings file is missing or broken.
    case templates(path: String, reason: String)
    /// Writing the digest file failed.
    case write(path: String, reason: String)
    /// The configured fallback address is not a plain e-mail address.
    case badFallback(String)

    public var description: String {
        switch self {
        case .templates(let path, let reason): "digest template \(path): \(reason)"
        case .write(let path, let reason): "cannot write digest \(path): \(reason)"
        case .badFallback(let value):
            "digest.fallback \"\(value)\" is not a plain e-mail address (expected name@example.com)"
        }
    }
}
