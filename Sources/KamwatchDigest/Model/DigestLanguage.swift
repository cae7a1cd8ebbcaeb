/// Language of a digest (config key `locale`).
public enum DigestLanguage: String, Sendable, Hashable, CaseIterable {
    case en
    case ru
}
