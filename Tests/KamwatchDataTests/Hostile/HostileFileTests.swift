import Foundation
import KamwatchVocabulary
import Testing

@testable import KamwatchData

/// Files other programs get wrong: each is read, or reported, and never hangs the reader.
@Suite struct HostileFileTests {
    static let orders = "order_id,account_id,date,list_amount,net_amount\n"

    @Test func aNumberBeyondTheDoubleRangeIsABadValueNotInfinity() throws {
        let huge = String(repeating: "9", count: 310)
        let data = try readTable(.orders, Self.orders + "o1,A,2026-01-05,\(huge),5\n")
        #expect(
            texts(data.issues) == [
                "orders.csv:2:list_amount: invalid number \"\(huge.prefix(57))...\" (too large: beyond about 1.8e308)"
            ])
        #expect(data.rowCount == 0 || rows(data).allSatisfy { !$0.contains("inf") })
    }

    @Test func carriageReturnLineEndsAreLineEnds() throws {
        let accounts = try readTable(.accounts, "account_id,name\rA,Alpha\rB,\"Be\rta\"\rC,Gamma\r")
        #expect(
            rows(accounts).map { $0.split(separator: "|").prefix(2).joined(separator: "|") } == [
                "A|Alpha", "B|Be\rta", "C|Gamma",
            ])
        let orders = try readTable(
            .orders, Self.orders.replacingOccurrences(of: "\n", with: "\r") + "o1,A,2026-01-05,10,9\ro2,A,bad,1,1\r")
        #expect(orders.rowCount == 1)
        #expect(texts(orders.issues).map { $0.prefix(19) } == ["orders.csv:3:date: "])
    }

    @Test func crlfFilesAreUnchanged() throws {
        let data = try readTable(
            .orders, Self.orders.replacingOccurrences(of: "\n", with: "\r\n") + "o1,A,2026-01-05,10,9\r\n")
        #expect(rows(data) == ["o1|A|2026-01-05|10.0|9.0|-"])
    }

    @Test func aFIFONamedLikeATableIsReportedWithoutBeingOpenedForABlockingRead() throws {
        let dir = try ScratchDirectory(["accounts.csv": "account_id,name\nA,Alpha\n"])
        #expect(mkfifo(dir.path + "/orders.csv", 0o600) == 0)
        let files = try DataDirectory.scan(dir.path)
        #expect(files[.orders] == ["orders.csv"])
        let (book, issues) = try Book.load(directory: dir.path)
        #expect(book.orders.rowCount == 0)
        #expect(texts(issues) == ["orders.csv: cannot read: a FIFO, not a regular file (skipped)"])
    }

    @Test func aLinkOutOfTheDirectoryIsFollowedAndADanglingOneReported() throws {
        let outside = try ScratchDirectory(["export.csv": Self.orders + "o1,A,2026-01-05,10,9\n"])
        let dir = try ScratchDirectory(["accounts.csv": "account_id,name\nA,Alpha\n"])
        try FileManager.default.createSymbolicLink(
            atPath: dir.path + "/orders.csv", withDestinationPath: outside.path + "/export.csv")
        try FileManager.default.createSymbolicLink(
            atPath: dir.path + "/events.csv", withDestinationPath: outside.path + "/gone.csv")
        let (book, issues) = try Book.load(directory: dir.path)
        #expect(book.orders.rowCount == 1)
        #expect(texts(issues) == ["events.csv: cannot open: No such file or directory"])
    }

    @Test func anUnterminatedQuoteAcrossChunksIsReadOnceToTheEnd() throws {
        // Small chunks: the quote opens in the first chunk and runs over all the others.
        var text = Self.orders + "o1,A,2026-01-05,10,9\no2,A,2026-01-05,\"10,9\n"
        for k in 0..<20_000 { text += "o\(k),A,2026-01-05,10,9\n" }
        let dir = try ScratchDirectory(["orders.csv": text])
        let data = TableReader.read([.orders: ["orders.csv"]], in: dir.path, chunkSize: 4096)[.orders]!
        #expect(data.rowCount == 1)
        #expect(data.issues.count == 1)
    }
}
