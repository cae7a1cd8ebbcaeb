import KamwatchTestSupport
import Logging
import Testing

@testable import KamwatchSystemd

@Suite("Journal log handler")
struct JournalLogHandlerTests {
    private func logger(_ journal: RecordingJournal, metadata: Logger.Metadata = [:]) -> Logger {
        var logger = Logger(label: "kamwatch.test") { label in
            JournalLogHandler(label: label, sink: journal, logLevel: .trace)
        }
        for (key, value) in metadata { logger[metadataKey: key] = value }
        return logger
    }

    @Test(
        "log levels map to syslog priorities",
        arguments: [
            (Logger.Level.trace, "7"), (.debug, "7"), (.info, "6"), (.notice, "5"),
            (.warning, "4"), (.error, "3"), (.critical, "2"),
        ])
    func priority(level: Logger.Level, priority: String) throws {
        let journal = RecordingJournal()
        logger(journal).log(level: level, "rules reloaded")
        let entry = try #require(journal.entries.first)
        #expect(entry["PRIORITY"] == priority)
        #expect(entry.message == "rules reloaded")
        #expect(entry["SYSLOG_IDENTIFIER"] == "kamwatch")
        #expect(entry["MESSAGE_ID"] == "cac11b3565754bf8950e42e6a175a66e")
    }

    @Test("metadata becomes KAMWATCH_ fields, call metadata winning")
    func metadataFields() throws {
        let journal = RecordingJournal()
        let log = logger(journal, metadata: ["file": "orders.csv", "line": "3"])
        log.warning("bad row", metadata: ["line": "7", "column.name": "date", "values": ["a", "b"]])
        let entry = try #require(journal.entries.first)
        let own = entry.fields.map { "\($0.name)=\($0.stringValue)" }
        #expect(
            own == [
                "KAMWATCH_LOGGER=kamwatch.test",
                "KAMWATCH_COLUMN_NAME=date",
                "KAMWATCH_FILE=orders.csv",
                "KAMWATCH_LINE=7",
                "KAMWATCH_VALUES=[\"a\",\"b\"]",
            ])
    }

    @Test("a valid message_id in metadata overrides MESSAGE_ID")
    func messageIDOverride() throws {
        let journal = RecordingJournal()
        logger(journal).notice("resolved", metadata: ["message_id": "3e0d2e2f571948e6bd5372dc8a6ad42f"])
        let entry = try #require(journal.entries.first)
        #expect(entry.messageID == JournalMessageID("3e0d2e2f571948e6bd5372dc8a6ad42f"))
        #expect(entry["KAMWATCH_MESSAGE_ID"] == nil)
    }

    @Test("an invalid message_id stays a field and the default id is kept")
    func invalidMessageID() throws {
        let journal = RecordingJournal()
        logger(journal).info("x", metadata: ["message_id": "nope"])
        let entry = try #require(journal.entries.first)
        #expect(entry.messageID == .kamwatchDiagnostics)
        #expect(entry["KAMWATCH_MESSAGE_ID"] == "nope")
    }

    @Test("the call site becomes CODE_FILE, CODE_LINE, CODE_FUNC")
    func location() throws {
        let journal = RecordingJournal()
        logger(journal).error("boom")
        let line = #line - 1
        let entry = try #require(journal.entries.first)
        #expect(entry["CODE_FILE"]?.hasSuffix("JournalLogHandlerTests.swift") == true)
        #expect(entry["CODE_LINE"] == String(line))
        #expect(entry["CODE_FUNC"] == "location()")
    }

    @Test("records below the handler's level are not sent")
    func levelFilter() {
        let journal = RecordingJournal()
        var log = logger(journal)
        log.logLevel = .notice
        log.info("quiet")
        log.notice("loud")
        #expect(journal.entries.map(\.message) == ["loud"])
    }

    @Test("the bootstrap factory builds handlers on the given sink")
    func factory() throws {
        let journal = RecordingJournal()
        let make = JournalLogHandler.factory(sink: journal, logLevel: .debug)
        let log = Logger(label: "kamwatch.daemon") { make($0, nil) }
        log.debug("hello")
        #expect(try #require(journal.entries.first)["KAMWATCH_LOGGER"] == "kamwatch.daemon")
    }

    @Test("an attached error becomes KAMWATCH_ERROR")
    func errorField() throws {
        struct Broken: Error, CustomStringConvertible {
            var description: String { "state database is locked" }
        }
        let journal = RecordingJournal()
        logger(journal).log(level: .error, "cannot record transitions", error: Broken())
        #expect(try #require(journal.entries.first)["KAMWATCH_ERROR"] == "state database is locked")
    }
}
