import Foundation
import KamwatchVocabulary

/// A `multipart/alternative` e-mail with a plain-text and an HTML part, as RFC 5322 bytes.
public struct MailMessage: Sendable, Hashable {
    public var from: String
    public var to: String
    public var date: Date
    public var timeZone: TimeZone
    /// Without angle brackets: `local@domain`.
    public var messageID: String
    public var subject: String
    public var text: String
    public var html: String
    /// Extra header fields (ASCII names), written after the standard ones.
    public var extraHeaders: [(name: String, value: String)]

    public init(
        from: String, to: String, date: Date, timeZone: TimeZone, messageID: String, subject: String,
        text: String, html: String, extraHeaders: [(name: String, value: String)] = []
    ) {
        self.from = from
        self.to = to
        self.date = date
        self.timeZone = timeZone
        self.messageID = messageID
        self.subject = subject
        self.text = text
        self.html = html
        self.extraHeaders = extraHeaders
    }

    public static func == (a: MailMessage, b: MailMessage) -> Bool { a.rendered == b.rendered }
    public func hash(into h: inout Hasher) { h.combine(rendered) }

    /// The part boundary: derived from the Message-ID, and of characters quoted-printable
    /// never puts at a line start after `--`, so it cannot occur inside a part.
    var boundary: String { "=_kamwatch_" + StableHash.hex(StableHash.fnv1a(messageID)) }

    /// The whole message with CRLF line endings.
    public var rendered: String {
        var lines: [String] = [
            HeaderEncoding.mailboxField("From", from),
            HeaderEncoding.mailboxField("To", to),
            HeaderEncoding.field("Date", RFC5322Date.format(date, in: timeZone)),
            HeaderEncoding.field("Message-ID", "<\(messageID)>"),
            HeaderEncoding.field("Subject", subject),
            "MIME-Version: 1.0",
        ]
        for h in extraHeaders { lines.append(HeaderEncoding.field(h.name, h.value)) }
        lines.append("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"")
        lines.append("")
        lines.append("This is a multi-part message in MIME format.")
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines.append("--" + boundary)
            lines.append("Content-Type: \(type); charset=utf-8")
            lines.append("Content-Transfer-Encoding: quoted-printable")
            lines.append("")
            lines.append(QuotedPrintable.encode(body))
        }
        lines.append("--" + boundary + "--")
        lines.append("")
        return lines.joined(separator: "\r\n")
    }

    /// The message as bytes (ASCII only: every non-ASCII character is encoded).
    public var data: Data { Data(rendered.utf8) }
}
