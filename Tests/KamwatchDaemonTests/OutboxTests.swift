import Foundation
import KamwatchRules
import KamwatchState
import KamwatchVocabulary
import Testing

@testable import KamwatchDaemon

@Suite("Outbox")
struct OutboxTests {
    @Test("names start with the zero-padded seq and the UTC time, so they sort")
    func naming() {
        let name = OutboxFileName.name(seq: 42, time: Records.t0, rule: "discount-creep", accountID: "ACME-7")
        #expect(name == "000000000042-20261126T172640.250Z-discount-creep-ACME-7.json")
        #expect(OutboxFileName.seq(of: name) == 42)
        #expect(OutboxFileName.seq(of: ".kamwatch-000000000042-1.tmp") == nil)
    }

    @Test(
        "account ids cannot escape the directory",
        arguments: [
            ("../../etc/passwd", "_._.__etc_passwd"), ("..", "_."), (".hidden", "_hidden"), ("a/b", "a_b"),
            ("ООО Ромашка", "___________"), ("", "_"), ("a..b", "a._b"), ("ok-id_1.2", "ok-id_1.2"),
        ])
    func sanitising(id: String, expected: String) {
        let part = OutboxFileName.sanitize(id)
        #expect(part == expected)
        #expect(!part.contains("/") && !part.contains("..") && !part.hasPrefix("."))
    }

    @Test("long ids are capped")
    func capped() {
        #expect(OutboxFileName.sanitize(String(repeating: "x", count: 500)).count == OutboxFileName.partLimit)
    }

    @Test("a file holds the transition as one JSON object")
    func document() {
        let r = TransitionRecord(
            seq: 7, time: Records.t0, state: .firing,
            alert: Alert(
                rule: "discount-creep", accountID: "A1", accountName: "Acme \"A\"", severity: .critical,
                message: "creep 12 pp", evidence: ["recent": .number(20), "baseline": .number(8)], owner: "kam@x.org",
                lead: nil),
            previousSeverity: .warning)
        #expect(
            OutboxDocument.json(r)
                == #"{"seq":7,"time":"2026-11-26T17:26:40.250Z","state":"firing","rule":"discount-creep","account_id":"A1","account_name":"Acme \"A\"","severity":"critical","previous_severity":"warning","owner":"kam@x.org","lead":null,"message":"creep 12 pp","evidence":{"recent":20,"baseline":8},"revenue_at_stake":null}"#
                + "\n")
    }

    @Test("a file's object has every key, in order, values escaped, whatever is missing")
    func documentOfAResolution() throws {
        var evidence = Evidence()
        evidence.append("share", .number(0.125))
        evidence.append("note", .text("a/b \"q\"\n"))
        evidence.append("none", .null)
        let r = TransitionRecord(
            seq: 1_234_567, time: Records.t0, state: .resolved,
            alert: Alert(
                rule: "single-contact", accountID: "../K\u{1}", accountName: "ООО «Вектор»", severity: .warning,
                message: "tab\there", evidence: evidence, owner: nil, lead: "l@x.org", revenueAtStake: 1_234.5),
            previousSeverity: nil)
        let text = OutboxDocument.json(r)
        #expect(
            text
                == #"{"seq":1234567,"time":"2026-11-26T17:26:40.250Z","state":"resolved","rule":"single-contact","account_id":"../K\u0001","account_name":"ООО «Вектор»","severity":"warning","previous_severity":null,"owner":null,"lead":"l@x.org","message":"tab\there","evidence":{"share":0.125,"note":"a/b \"q\"\n","none":null},"revenue_at_stake":1234.5}"#
                + "\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["account_id"] as? String == "../K\u{1}")
        #expect(object["message"] as? String == "tab\there")
    }

    @Test("writing never overwrites and leaves no temporary behind")
    func atomic() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try OutboxWriter(outboxDir: dir.path)
        let store = try StateStore.inMemory()
        let r = try Records.record(1, in: store)[0]
        let name = OutboxFileName.name(seq: r.seq, time: r.time, rule: r.rule, accountID: r.accountID)
        #expect(try writer.write(r) == .written(name))
        try "consumer's copy".write(toFile: writer.directory + "/" + name, atomically: false, encoding: .utf8)
        #expect(try writer.write(r) == .alreadyPresent(name))
        #expect(try String(contentsOfFile: writer.directory + "/" + name, encoding: .utf8) == "consumer's copy")
        #expect(try dir.files("alerts") == [name])
        #expect(try writer.presentSeqs() == [1])
    }

    @Test("a big batch is written in full, each file once", arguments: [3, 40])
    func batch(count: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try OutboxWriter(outboxDir: dir.path)
        let store = try StateStore.inMemory()
        let records = try Records.record(count, in: store)
        let outcomes = try writer.write(records)
        #expect(outcomes.allSatisfy { if case .written = $0 { true } else { false } })
        #expect(try writer.presentSeqs() == Set(records.map(\.seq)))
        #expect(try dir.files("alerts").count == count, "no temporary left behind")
        #expect(try writer.write(records).allSatisfy { if case .alreadyPresent = $0 { true } else { false } })
        #expect(try dir.files("alerts").count == count, "no temporary left behind by files already present")
    }

    @Test("temporaries of a crashed write are removed, finished files kept")
    func staleTemporaries() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try OutboxWriter(outboxDir: dir.path)
        try dir.write("alerts/.kamwatch-000000000003-99.tmp", "{\"seq\":3,")
        try dir.write("alerts/000000000002-x.json", "{}")
        writer.removeStaleTemporaries()
        #expect(try dir.files("alerts") == ["000000000002-x.json"])
    }

    /// Every record's file written under its name with its document, and nothing else left.
    func expectAllNamed(
        _ records: [TransitionRecord], _ outcomes: [OutboxWriter.Outcome], _ writer: OutboxWriter,
        _ dir: TemporaryDirectory
    ) throws {
        #expect(outcomes.allSatisfy { if case .written = $0 { true } else { false } })
        #expect(try dir.files("alerts").count == records.count, "no temporary left behind")
        for r in records {
            let name = OutboxFileName.name(seq: r.seq, time: r.time, rule: r.rule, accountID: r.accountID)
            #expect(
                try String(contentsOfFile: writer.directory + "/" + name, encoding: .utf8) == OutboxDocument.json(r))
        }
    }

    @Test("files written ahead are named once recorded, with the content a direct write gives")
    func writtenAhead() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try OutboxWriter(outboxDir: dir.path)
        let store = try StateStore.inMemory()
        let records = try Records.record(40, in: store)
        var foreseen = records
        for i in foreseen.indices { foreseen[i].seq = records[0].seq + Int64(i) }
        let ahead = writer.writeAhead(foreseen)
        #expect(try writer.presentSeqs().isEmpty, "nothing a reader takes before the recording")
        let written = ahead.wait()
        #expect(!written.failed && written.flushed, "made durable on the writing thread, before any name")
        #expect(try writer.presentSeqs().isEmpty)
        let outcomes = try writer.publish(records, ahead: ahead)
        try expectAllNamed(records, outcomes, writer, dir)
    }

    /// How a batch's files were written under a descriptor ceiling: nil ceiling = the next
    /// descriptor the process gets, plus ten.
    @Test(
        "a big batch is written unnamed below the descriptor ceiling, then as temporaries, all named alike",
        arguments: [Int32.max, 0, nil])
    func unnamedThenTemporaries(ceiling: Int32?) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore.inMemory()
        let records = try Records.record(OutboxWriter.batchThreshold + 8, in: store)
        // Tests running beside this one open and close descriptors too: only the two ends of the
        // ceiling give a known split; in between, only the order is known.
        let next = open("/dev/null", O_RDONLY)
        close(next)
        let writer = try OutboxWriter(outboxDir: dir.path, descriptorCeiling: ceiling ?? next + 10)
        #expect(writer.unnamedCeiling != nil, "this file system makes unnamed files")
        let pending = try writer.writePending(records)
        let isUnnamed = pending.map { if case .unnamed = $0 { true } else { false } }
        let unnamed = isUnnamed.prefix { $0 }.count
        switch ceiling {
        case Int32.max: #expect(unnamed == records.count)
        case 0: #expect(unnamed == 0)
        default: break
        }
        #expect(!isUnnamed.dropFirst(unnamed).contains(true), "unnamed first, then temporaries only")
        #expect(try dir.files("alerts").count == records.count - unnamed, "unnamed files have no entry")
        let outcomes = try writer.publish(records, pending: pending)
        try expectAllNamed(records, outcomes, writer, dir)
    }

    @Test("an unnamed file never replaces an existing one, and one dropped leaves nothing")
    func unnamedNeverReplaces() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try OutboxWriter(outboxDir: dir.path)
        let store = try StateStore.inMemory()
        let records = try Records.record(OutboxWriter.batchThreshold + 8, in: store)
        let first = records[0]
        let taken = OutboxFileName.name(seq: first.seq, time: first.time, rule: first.rule, accountID: first.accountID)
        try dir.write("alerts/" + taken, "{}")
        // Dropped before any name: nothing appears.
        for p in try writer.writePending(records) { p.discard() }
        #expect(try dir.files("alerts") == [taken])
        let outcomes = try writer.write(records)
        #expect(outcomes[0] == .alreadyPresent(taken))
        #expect(try String(contentsOfFile: writer.directory + "/" + taken, encoding: .utf8) == "{}")
        #expect(try dir.files("alerts").count == records.count)
    }

    @Test("files written ahead for other seqs are dropped and the recorded ones written")
    func writtenAheadWrongly() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try OutboxWriter(outboxDir: dir.path)
        let store = try StateStore.inMemory()
        let records = try Records.record(40, in: store)
        var foreseen = records
        for i in foreseen.indices { foreseen[i].seq += 1000 }
        try writer.publish(records, ahead: writer.writeAhead(foreseen))
        #expect(try writer.presentSeqs() == Set(records.map(\.seq)))
        #expect(try dir.files("alerts").count == records.count, "no temporary left behind")

        writer.writeAhead(foreseen).discard()
        #expect(try dir.files("alerts").count == records.count, "a discarded write leaves nothing")
    }
}
