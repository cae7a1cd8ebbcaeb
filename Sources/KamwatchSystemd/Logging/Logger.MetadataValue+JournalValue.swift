import KamwatchVocabulary
import Logging

extension Logger.MetadataValue {
    /// The value as one journal field value: text as is, lists and dictionaries as JSON.
    var journalValue: String {
        switch self {
        case .string(let text): text
        case .stringConvertible(let value): value.description
        default: jsonText
        }
    }

    private var jsonText: String {
        switch self {
        case .string(let text): Self.quoted(text)
        case .stringConvertible(let value): Self.quoted(value.description)
        case .array(let values): "[" + values.map(\.jsonText).joined(separator: ",") + "]"
        case .dictionary(let pairs):
            "{"
                + pairs.sorted { $0.key < $1.key }.map { Self.quoted($0.key) + ":" + $0.value.jsonText }
                .joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ text: String) -> String { JSONText.quote(text) }
}
