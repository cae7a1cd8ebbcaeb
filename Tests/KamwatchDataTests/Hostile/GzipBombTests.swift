import Foundation
import KamwatchVocabulary
import Testing

@testable import KamwatchData

/// Gzip bombs: a small `.csv.gz` that inflates to far more than it holds. One endless record
/// fails the file at the record limit instead of growing the buffer until memory runs out.
/// (Many short lines stream through a buffer of fixed size: `test-hostile-gzip.sh` measures it.)
@Suite struct GzipBombTests {
    static let header = "order_id,account_id,date,list_amount,net_amount\n"

    /// A prefix, then `pattern` repeated for ever.
    final class EndlessSource: ByteSource {
        let prefix: [UInt8]
        let pattern: [UInt8]
        var given = 0

        init(prefix: String, pattern: String) {
            self.prefix = Array(prefix.utf8)
            self.pattern = Array(pattern.utf8)
        }

        func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(ReadFailure) -> Int {
            for i in 0..<count {
                let n = given + i
                buffer[i] = n < prefix.count ? prefix[n] : pattern[(n - prefix.count) % pattern.count]
            }
            given += count
            return count
        }
    }

    @Test func anEndlessRecordFailsAtTheLimitInsteadOfGrowingWithoutBound() throws {
        let source = EndlessSource(prefix: Self.header + "o1,A,2026-01-05,\"", pattern: "x")
        let reader = RecordReader(
            source: source, offset: 0, checkUTF8: true, blockSize: 1 << 16, maxRecordBytes: 1 << 20)
        #expect(try reader.next())  // the header
        do {
            _ = try reader.next()
            Issue.record("an endless record was read")
        } catch {
            #expect(
                error.reason
                    == "a record longer than 1 MB at byte \(Self.header.utf8.count): a quote left open, or not a CSV file"
            )
        }
        // The buffer doubles up to the first size past the limit, and no further.
        #expect(source.given <= 4 << 20)
    }

    /// A real `.csv.gz` (made with gzip(1)) whose only data row never ends: decompressed as a
    /// stream, it fails at the limit with the reason (the whole table reader reports it for the
    /// file, as for a truncated gzip: `test-hostile-gzip.sh`).
    @Test func aGzipBombOfOneRecordFailsWithAClearReason() throws {
        let dir = try ScratchDirectory()
        let raw = dir.path + "/bomb.csv"
        var text = Data((Self.header + "O1,A1,2025-01-01,\"").utf8)
        text.append(Data(repeating: UInt8(ascii: "x"), count: 16 << 20))
        try text.write(to: URL(fileURLWithPath: raw))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -9 <\"$0\" >\"$1\" && rm \"$0\"", raw, dir.path + "/orders.csv.gz"]
        try gzip.run()
        gzip.waitUntilExit()
        try #require(gzip.terminationStatus == 0)
        let file = try OpenFile(path: dir.path + "/orders.csv.gz")
        #expect(file.size < 64 << 10)
        let reader = RecordReader(
            source: try GzipSource(input: FileRangeSource(file: file, offset: 0)), offset: 0, checkUTF8: true,
            blockSize: 1 << 16, maxRecordBytes: 1 << 20)
        #expect(try reader.next())
        #expect(throws: ReadFailure.self) { _ = try reader.next() }
    }
}
