import CSystemd
import Glibc
import Testing

@testable import KamwatchSystemd

@Suite("Journal entry encoding")
struct JournalEntryEncodingTests {
    private func sample() throws -> JournalEntry {
        var entry = JournalEntry(
            message: "Клиент A1: один контакт\nвторая строка",
            priority: .warning,
            messageID: JournalMessageID("d3ef266d21464f3ebf6edc5db71007bf"),
            file: "Kamwatch/Emit.swift",
            line: 42,
            function: "emit(_:)"
        )
        try entry.append("KAMWATCH_RULE", "single-contact")
        try entry.append("KAMWATCH_EVIDENCE", "{\"n\":1}")
        entry.append(JournalField(name: try JournalFieldName("KAMWATCH_RAW"), bytes: [0, 0xFF, 0x0A]))
        return entry
    }

    @Test("standard fields first, then the entry's own, in order")
    func fieldOrder() throws {
        let lines = try sample().encodedFields.map { String(decoding: $0, as: UTF8.self) }
        #expect(
            lines == [
                "MESSAGE=Клиент A1: один контакт\nвторая строка",
                "PRIORITY=4",
                "MESSAGE_ID=d3ef266d21464f3ebf6edc5db71007bf",
                "SYSLOG_IDENTIFIER=kamwatch",
                "CODE_FILE=Kamwatch/Emit.swift",
                "CODE_LINE=42",
                "CODE_FUNC=emit(_:)",
                "KAMWATCH_RULE=single-contact",
                "KAMWATCH_EVIDENCE={\"n\":1}",
                "KAMWATCH_RAW=\u{0}\u{FFFD}\n",
            ])
    }

    @Test("binary values keep every byte")
    func binaryValue() throws {
        #expect(try sample().encodedFields.last == Array("KAMWATCH_RAW=".utf8) + [0, 0xFF, 0x0A])
    }

    @Test("optional standard fields are left out when absent")
    func minimalEntry() {
        var entry = JournalEntry(message: "x", priority: .debug, syslogIdentifier: nil)
        entry.location = nil
        #expect(entry.encodedFields.map { String(decoding: $0, as: UTF8.self) } == ["MESSAGE=x", "PRIORITY=7"])
    }

    @Test("each iovec points at exactly one NAME=value")
    func iovecs() throws {
        let fields = try sample().encodedFields
        let seen: [[UInt8]] = SystemdJournal.withIOVecs(fields) { vectors in
            vectors.map { vector in
                Array(UnsafeRawBufferPointer(start: vector.iov_base, count: vector.iov_len))
            }
        }
        #expect(seen == fields)
    }

    @Test("an entry laid out at once gives the iovecs of its encoded fields")
    func iovecsOfAnEntry() throws {
        var bare = JournalEntry(message: "", priority: .debug)
        bare.location = nil
        bare.syslogIdentifier = nil
        for entry in [try sample(), bare] {
            let seen: [[UInt8]] = SystemdJournal.withIOVecs(of: entry) { vectors in
                vectors.map { vector in
                    Array(UnsafeRawBufferPointer(start: vector.iov_base, count: vector.iov_len))
                }
            }
            #expect(seen == entry.encodedFields)
        }
    }

    @Test func lookupBySubscript() throws {
        let entry = try sample()
        #expect(entry["PRIORITY"] == "4")
        #expect(entry["KAMWATCH_RULE"] == "single-contact")
        #expect(entry["KAMWATCH_MISSING"] == nil)
    }
}
