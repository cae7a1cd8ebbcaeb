/// One value of an alert's evidence.
public enum EvidenceValue: Sendable, Hashable {
    case number(Double)
    case text(String)
    case bool(Bool)
    case null
}

extension EvidenceValue: Codable {
    /// JSON's own types; a number that is not finite is written as `null`, as every JSON output does.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let d) where d.isFinite: try c.encode(d)
        case .number, .null: try c.encodeNil()
        case .text(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else {
            self = .text(try c.decode(String.self))
        }
    }
}

/// The values that made a rule hold, each under its name, in the rule file's order.
///
/// Its `Codable` form is a list of `[name, value]` pairs, so that the order survives any
/// decoder; the JSON outputs (`check --format json`, outbox files, the journal) write it
/// as one object instead (`AlertJSON`, `JSONText`).
public struct Evidence: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One named value.
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: EvidenceValue
    }

    public var entries: [Entry]

    public init(_ entries: [Entry] = []) { self.entries = entries }

    public init(dictionaryLiteral elements: (String, EvidenceValue)...) {
        entries = elements.map { Entry(key: $0.0, value: $0.1) }
    }

    public var startIndex: Int { entries.startIndex }
    public var endIndex: Int { entries.endIndex }
    public subscript(position: Int) -> Entry { entries[position] }

    /// The value named `key`, if there is one.
    public subscript(key: String) -> EvidenceValue? {
        entries.first { $0.key == key }?.value
    }

    /// Adds a value after the others.
    public mutating func append(_ key: String, _ value: EvidenceValue) {
        entries.append(Entry(key: key, value: value))
    }
}

extension Evidence: Codable {
    public func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        for entry in entries {
            var pair = list.nestedUnkeyedContainer()
            try pair.encode(entry.key)
            try pair.encode(entry.value)
        }
    }

    public init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        var entries: [Entry] = []
        while !list.isAtEnd {
            var pair = try list.nestedUnkeyedContainer()
            let key = try pair.decode(String.self)
            let value = try pair.decode(EvidenceValue.self)
            entries.append(Entry(key: key, value: value))
        }
        self.entries = entries
    }
}

extension Evidence {
    /// The evidence as one JSON object, keys in order (what `check --format json`, the outbox
    /// and `KAMWATCH_EVIDENCE` show); numbers as `NumberText.json` writes them.
    public var jsonObject: String {
        var out = "{"
        for (i, entry) in entries.enumerated() {
            if i > 0 { out += "," }
            JSONText.appendString(entry.key, to: &out)
            out += ":" + entry.value.json
        }
        return out + "}"
    }
}

extension EvidenceValue {
    /// The value as JSON: numbers as `NumberText.json`, non-finite ones as `null`.
    public var json: String {
        switch self {
        case .number(let n): return NumberText.json(n)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .text(let s):
            var out = ""
            JSONText.appendString(s, to: &out)
            return out
        }
    }
}
