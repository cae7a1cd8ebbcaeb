import Foundation
import KamwatchVocabulary
import Mustache

/// A digest rendered: its subject and the two bodies of the e-mail.
public struct RenderedDigest: Sendable, Hashable {
    public var subject: String
    public var text: String
    public var html: String
}

/// Renders digests with the Mustache templates and strings table of one language.
public struct DigestRenderer: Sendable {
    public let strings: DigestStrings
    private let library: MustacheLibrary

    /// The templates folder shipped with kamwatch (a resource bundle beside the binary);
    /// `nil` when that bundle is not installed.
    public static var bundledTemplates: URL? {
        // Bundle.module stops the program when its folder is missing: look first, so a binary
        // installed without its resources fails with a message instead.
        guard FileManager.default.fileExists(atPath: installedBundle.path) else { return nil }
        return Bundle.module.url(forResource: "Templates", withExtension: nil)
    }

    /// Where the resource bundle is looked for: beside the running executable.
    public static var installedBundle: URL {
        Bundle.main.bundleURL.appendingPathComponent("kamwatch_KamwatchDigest.resources")
    }

    /// Loads `text.mustache`, `html.mustache` and `strings-<language>.json` from `templates`.
    public init(language: Language, templates: URL? = nil) throws {
        guard let folder = templates ?? Self.bundledTemplates else {
            throw DigestError.templates(
                path: Self.installedBundle.path,
                reason:
                    "the digest templates are not installed (copy this folder from the build beside the kamwatch binary)"
            )
        }
        strings = try DigestStrings(language: language, templates: folder)
        var library = MustacheLibrary()
        for name in ["text", "html"] {
            let url = folder.appendingPathComponent("\(name).mustache")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw DigestError.templates(path: url.path, reason: "cannot be read")
            }
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch {
                throw DigestError.templates(path: url.path, reason: "is not a valid Mustache template: \(error)")
            }
        }
        self.library = library
    }

    /// Renders `input`; line breaks are `\n` (the mail writer makes them CRLF).
    public func render(_ input: DigestInput) -> RenderedDigest {
        let model = DigestViewModel(input: input, strings: strings)
        let subject = model.subject
        let context = model.context(subject: subject)
        return RenderedDigest(
            subject: subject,
            text: library.render(context, withTemplate: "text") ?? "",
            html: library.render(context, withTemplate: "html") ?? "")
    }
}
