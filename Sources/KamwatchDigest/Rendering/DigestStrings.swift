import Foundation
import KamwatchVocabulary

/// The words of a digest in one language, read from `Templates/strings-<language>.json`.
///
/// A value is either a string or a plural table (`one`/`few`/`many`/`other`); `{name}`
/// placeholders are filled by `format`.
public struct DigestStrings: Sendable {
    public let language: Language
    private let plain: [String: String]
    private let plurals: [String: [String: String]]

    /// Reads the table of `language` from the templates folder.
    public init(language: Language, templates: URL) throws {
        let url = templates.appendingPathComponent("strings-\(language.rawValue).json")
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DigestError.templates(path: url.path, reason: "cannot be read: \(error.localizedDescription)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DigestError.templates(path: url.path, reason: "is not a JSON object")
        }
        var plain: [String: String] = [:]
        var plurals: [String: [String: String]] = [:]
        for (key, value) in object {
            if let s = value as? String {
                plain[key] = s
            } else if let table = value as? [String: String] {
                plurals[key] = table
            } else {
                throw DigestError.templates(
                    path: url.path, reason: "key \"\(key)\" is neither a string nor a plural table")
            }
        }
        self.language = language
        self.plain = plain
        self.plurals = plurals
    }

    /// The string for `key` with `{name}` placeholders replaced; the key itself when missing.
    public func format(_ key: String, _ values: [String: String] = [:]) -> String {
        Self.fill(plain[key] ?? key, values)
    }

    /// The plural form of `key` for `n`, `{n}` and other placeholders filled.
    public func plural(_ key: String, _ n: Int, _ values: [String: String] = [:]) -> String {
        let table = plurals[key] ?? [:]
        let category = PluralCategory.of(n, in: language)
        let form = table[category.rawValue] ?? table["other"] ?? table["many"] ?? "{n} [\(key)]"
        return Self.fill(form, values.merging(["n": String(n)]) { a, _ in a })
    }

    /// Every plain string for templates, dots in keys made underscores (`label.owner` → `label_owner`),
    /// because Mustache reads a dot as a path.
    public var labels: [String: String] {
        Dictionary(uniqueKeysWithValues: plain.map { ($0.key.replacingOccurrences(of: ".", with: "_"), $0.value) })
    }

    private static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = template
        for (name, value) in values { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        return out
    }
}
