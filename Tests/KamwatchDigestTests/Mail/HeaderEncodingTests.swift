import Foundation
import KamwatchDigest
import KamwatchVocabulary
import Testing

@Suite("Header fields")
struct HeaderEncodingTests {
    @Test func asciiValuesStayReadable() {
        #expect(HeaderEncoding.field("To", "anna@example.com") == "To: anna@example.com")
    }

    @Test func nonAsciiSubjectsBecomeFoldedEncodedWords() throws {
        let subject = "kamwatch: 3 новых, 12 открытых, 21 закрытый — 20.11.2026"
        let field = HeaderEncoding.field("Subject", subject)
        let lines = field.components(separatedBy: "\r\n")
        #expect(lines.count > 1)
        for (i, line) in lines.enumerated() {
            #expect(line.utf8.count <= 78)
            #expect(line.utf8.allSatisfy { $0 < 0x80 })
            if i > 0 { #expect(line.hasPrefix(" =?utf-8?B?")) }
        }
        // Decoding the words gives the subject back: no character was split between words.
        let words = field.dropFirst("Subject: ".count).components(separatedBy: "\r\n ")
        var bytes = Data()
        for word in words {
            #expect(word.hasPrefix("=?utf-8?B?") && word.hasSuffix("?="))
            #expect(word.utf8.count <= 75)
            let payload = word.dropFirst(10).dropLast(2)
            let data = try #require(Data(base64Encoded: String(payload)))
            #expect(String(data: data, encoding: .utf8) != nil)
            bytes.append(data)
        }
        #expect(String(data: bytes, encoding: .utf8) == subject)
    }

    @Test func lineBreaksBeforeCombiningMarksCannotInjectHeaders() {
        // A search for "\n" by characters does not find one followed by a combining mark.
        let value = "b\n\u{301}Bcc: everyone@example.com <a@example.com>\r\u{301}"
        for field in [HeaderEncoding.field("Subject", value), HeaderEncoding.mailboxField("To", value)] {
            let bytes = Array(field.utf8)
            for (i, byte) in bytes.enumerated() where byte == 0x0A || byte == 0x0D {
                let folded =
                    byte == 0x0D && i + 2 < bytes.count && bytes[i + 1] == 0x0A
                    && (bytes[i + 2] == 0x20 || bytes[i + 2] == 0x09)
                let breakEnd = byte == 0x0A && i > 0 && bytes[i - 1] == 0x0D
                #expect(folded || breakEnd, "a bare line break in \(field.debugDescription)")
            }
        }
        #expect(
            HeaderEncoding.mailboxField("To", value).replacingOccurrences(of: "\r\n", with: "").contains(
                "<a@example.com>"))
    }

    @Test func lineBreaksCannotInjectHeaders() {
        let field = HeaderEncoding.field("Subject", "hello\r\nBcc: everyone@example.com")
        #expect(field == "Subject: hello  Bcc: everyone@example.com")
    }

    @Test(arguments: [
        ("kamwatch@example.com", "kamwatch@example.com"),
        ("kamwatch <kamwatch@example.com>", "\"kamwatch\" <kamwatch@example.com>"),
        ("Камвотч <kamwatch@example.com>", "=?utf-8?B?0JrQsNC80LLQvtGC0Yc=?= <kamwatch@example.com>"),
    ])
    func mailboxesQuoteOrEncodeTheDisplayName(text: String, header: String) {
        #expect(HeaderEncoding.mailbox(text) == header)
    }

    /// Found by fuzzing: `field("To", mailbox(…))` encoded a mailbox with a non-ASCII name a
    /// second time, address and all, so the To field named no address.
    @Test func aMailboxWithAnEncodedNameKeepsItsAddress() {
        #expect(
            HeaderEncoding.mailboxField("To", "Ирина <irina@example.com>")
                == "To: =?utf-8?B?0JjRgNC40L3QsA==?= <irina@example.com>")
        #expect(HeaderEncoding.mailboxField("From", "kamwatch@example.com") == "From: kamwatch@example.com")
        #expect(
            HeaderEncoding.mailboxField("To", "a\r\nBcc: b@example.com <c@example.com>")
                == "To: \"a  Bcc: b@example.com\" <c@example.com>")
    }

    @Test func datesAreRFC5322() {
        let date = Date(timeIntervalSince1970: 1_795_147_200)  // 2026-11-20 04:00 UTC
        #expect(
            RFC5322Date.format(date, in: TimeZone(identifier: "Europe/Moscow")!) == "Fri, 20 Nov 2026 07:00:00 +0300")
        #expect(
            RFC5322Date.format(date, in: TimeZone(identifier: "America/St_Johns")!) == "Fri, 20 Nov 2026 00:30:00 -0330"
        )
    }
}
