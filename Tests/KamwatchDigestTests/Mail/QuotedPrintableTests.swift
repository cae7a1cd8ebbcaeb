import Foundation
import KamwatchDigest
import KamwatchVocabulary
import Testing

@Suite("Quoted-printable bodies")
struct QuotedPrintableTests {
    /// Reverses the encoding (soft breaks and =XX), for round trips.
    private func decode(_ qp: String) -> String {
        var bytes: [UInt8] = []
        let u = Array(qp.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "="), i + 2 < u.count,
                let b = UInt8(String(decoding: u[i + 1...i + 2], as: UTF8.self), radix: 16)
            {
                bytes.append(b)
                i += 3
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        // CRLF back to LF by bytes (a search by characters misses one before a combining mark).
        let lf = bytes.indices.filter { !(bytes[$0] == 0x0D && $0 + 1 < bytes.count && bytes[$0 + 1] == 0x0A) }
        return String(decoding: lf.map { bytes[$0] }, as: UTF8.self)
    }

    @Test(arguments: [
        "plain ascii line",
        "Сводка по ключевым клиентам — критично: «Кама Логистик», 1 250 000 ₽",
        String(repeating: "x", count: 300),
        String(repeating: "щ", count: 200) + " end",
        "trailing space \nand tab\t\n.\nFrom here\n= equals =",
        "line breaks before combining marks\n\u{301}one\n\u{301}two",
        "<td style=\"padding:10px 8px;border-bottom:1px solid #eaecf0;white-space:nowrap;\">"
            + String(repeating: "ж", count: 40),
    ])
    func linesStayWithin76OctetsAndRoundTrip(text: String) {
        let qp = QuotedPrintable.encode(text)
        #expect(qp.utf8.allSatisfy { $0 < 0x80 })
        for line in qp.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76, "line too long: \(line)")
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"))
            #expect(line != ".")
            #expect(!line.hasPrefix("From "))
        }
        #expect(decode(qp) == text)
    }

    @Test func encodesWhatWouldBeDamagedInTransit() {
        #expect(QuotedPrintable.encode("a = b ") == "a =3D b=20")
        #expect(QuotedPrintable.encode(".\nFrom x") == "=2E\r\n=46rom x")
        #expect(QuotedPrintable.encode("день") == "=D0=B4=D0=B5=D0=BD=D1=8C")
    }
}
