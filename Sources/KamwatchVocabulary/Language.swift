/// The language kamwatch writes for people: messages, reports and digests (config key `locale`).
public enum Language: String, Sendable, Hashable, Codable, CaseIterable {
    case en
    case ru
}
