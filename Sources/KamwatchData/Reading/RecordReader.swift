import KamwatchVocabulary
import Synchronization

/// Splits a byte stream into CSV records (RFC 4180), exposing each record's fields as byte
/// ranges in its buffer: no `String` per cell, no copies of unquoted cells.
///
/// Quotes toggle a "quoted" state; delimiters and line feeds inside quotes belong to the
/// cell. So the state at any byte is the parity of the quotes before it in the record, which
/// is what makes splitting a file into chunks at a line boundary exact.
final class RecordReader {
    private let source: any ByteSource
    private let checkUTF8: Bool
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Unread data is `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    /// Bytes before this index are known valid UTF-8.
    private var validated = 0
    private var eof = false
    /// Stream offset of `buffer[0]`.
    private var base: Int

    /// The stream was found not to be UTF-8; reading stopped.
    private(set) var invalidUTF8 = false
    /// A UTF-8 byte-order mark was skipped at the start.
    private(set) var sawBOM = false

    /// Byte classes: 1 delimiter, 2 quote, 3 line feed, 0 anything else.
    private let classes: UnsafeMutablePointer<UInt8>
    /// The delimiter repeated in every byte of a word, for scanning eight bytes at a time.
    private var delimiterWord: UInt64 = 0
    /// The line end byte (a line feed, or a carriage return in CR-only files), and repeated.
    private var lineEnd = UInt8(ascii: "\n")
    private var lineEndWord: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    /// The first line (`withFirstLine`) ended with a carriage return not followed by a line feed.
    private(set) var firstLineEndsWithCR = false

    /// Fields of the current record: `buffer[fieldStart[i]..<fieldEnd[i]]`, raw (quotes kept).
    private(set) var fieldStart: UnsafeMutablePointer<Int>
    private(set) var fieldEnd: UnsafeMutablePointer<Int>
    /// Whether field i contains a quote (and needs unquoting).
    private(set) var fieldQuoted: UnsafeMutablePointer<Bool>
    private var fieldCapacity = 16
    private(set) var fieldCount = 0
    /// Buffer range of the current record.
    private(set) var recordStart = 0
    private(set) var recordEnd = 0
    /// Line feeds inside the current record, including its terminator.
    private(set) var recordNewlines = 0

    /// The longest record read: a longer one fails the file. Only a quote left open or a file
    /// that is not CSV makes records this long, and a gzip bomb of one endless record would
    /// otherwise grow the buffer until memory runs out.
    static let maxRecordBytes = 256 << 20
    private let maxRecordBytes: Int

    /// Reads `source`, whose first byte is at stream offset `offset`.
    init(
        source: any ByteSource, offset: Int, checkUTF8: Bool, blockSize: Int,
        maxRecordBytes: Int = RecordReader.maxRecordBytes
    ) {
        self.source = source
        self.maxRecordBytes = maxRecordBytes
        self.checkUTF8 = checkUTF8
        self.base = offset
        (buffer, capacity) = BufferPool.take(max(blockSize, 64))
        classes = .allocate(capacity: 256)
        classes.initialize(repeating: 0, count: 256)
        fieldStart = .allocate(capacity: fieldCapacity)
        fieldEnd = .allocate(capacity: fieldCapacity)
        fieldQuoted = .allocate(capacity: fieldCapacity)
        setDelimiter(UInt8(ascii: ","))
    }

    deinit {
        BufferPool.give(buffer, capacity)
        classes.deallocate()
        fieldStart.deallocate()
        fieldEnd.deallocate()
        fieldQuoted.deallocate()
    }

    /// Stream offset of the next unread record.
    var position: Int { base + start }

    /// Uses `delimiter` from now on.
    func setDelimiter(_ delimiter: UInt8) {
        delimiterWord = 0x0101_0101_0101_0101 &* UInt64(delimiter)
        classes.update(repeating: 0, count: 256)
        classes[Int(delimiter)] = 1
        classes[Int(UInt8(ascii: "\""))] = 2
        classes[Int(lineEnd)] = 3
    }

    /// Uses `dialect`'s delimiter and line end from now on.
    func setDialect(_ dialect: CSVDialect) {
        lineEnd = dialect.lineEnd
        lineEndWord = 0x0101_0101_0101_0101 &* UInt64(lineEnd)
        setDelimiter(dialect.delimiter)
    }

    /// Skips a UTF-8 byte-order mark at the very start of the stream.
    func skipBOM() throws(ReadFailure) {
        while end - start < 3 && !eof && !invalidUTF8 { try fill() }
        if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF {
            start += 3
            sawBOM = true
        }
    }

    /// The bytes of the first line (up to a line feed, or a lone carriage return, outside
    /// quotes), for dialect detection.
    func withFirstLine<R>(_ body: (UnsafePointer<UInt8>, Int) -> R) throws(ReadFailure) -> R {
        var scanned = start
        var quoted = false
        while true {
            while scanned < end {
                let c = buffer[scanned]
                if c == UInt8(ascii: "\"") {
                    quoted.toggle()
                } else if c == UInt8(ascii: "\n") && !quoted {
                    return body(buffer + start, scanned - start)
                } else if c == UInt8(ascii: "\r") && !quoted {
                    // Whether a line feed follows decides; it may not be read yet.
                    if scanned + 1 == end && !eof && !invalidUTF8 { break }
                    if scanned + 1 == end || buffer[scanned + 1] != UInt8(ascii: "\n") {
                        firstLineEndsWithCR = true
                        return body(buffer + start, scanned - start)
                    }
                }
                scanned += 1
            }
            if eof || invalidUTF8 { return body(buffer + start, end - start) }
            let offset = scanned - start
            try fill()
            scanned = start + offset
        }
    }

    /// Moves to the next record; `false` at the end of the stream (or when it is not UTF-8).
    func next() throws(ReadFailure) -> Bool {
        while true {
            if invalidUTF8 { return false }
            if scan() { return true }
            if eof { return false }
            try fill()
        }
    }

    /// Reads more data, keeping `buffer[start..<end]`: at least as many new bytes as are kept
    /// (or to the end of the stream). A record that did not fit is scanned again from its start,
    /// so reading in steps that double keeps a record as long as the file (an unterminated
    /// quote) linear, even from a source that gives small reads.
    private func fill() throws(ReadFailure) {
        if start > 0 {
            let live = end - start
            if live > 0 { (buffer).update(from: buffer + start, count: live) }
            base += start
            validated -= start
            end = live
            start = 0
        }
        if capacity - end < capacity / 2 || capacity - end < 16 {
            if end >= maxRecordBytes {
                throw ReadFailure(
                    reason:
                        "a record longer than \(maxRecordBytes >> 20) MB at byte \(base): a quote left open, or not a CSV file"
                )
            }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        let wanted = max(end, 1)
        var got = 0
        while got < wanted && end < capacity {
            let n = try source.read(into: buffer + end, count: capacity - end)
            if n == 0 {
                eof = true
                break
            }
            end += n
            got += n
        }
        if checkUTF8 {
            switch UTF8Check.validate(buffer, validated, end, atEnd: eof) {
            case .valid(let upTo): validated = upTo
            case .invalid: invalidUTF8 = true
            }
        }
    }

    private func growFields() {
        let newCapacity = fieldCapacity * 2
        let s = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let e = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let q = UnsafeMutablePointer<Bool>.allocate(capacity: newCapacity)
        s.update(from: fieldStart, count: fieldCount)
        e.update(from: fieldEnd, count: fieldCount)
        q.update(from: fieldQuoted, count: fieldCount)
        fieldStart.deallocate()
        fieldEnd.deallocate()
        fieldQuoted.deallocate()
        fieldStart = s
        fieldEnd = e
        fieldQuoted = q
        fieldCapacity = newCapacity
    }

    @inline(__always)
    private func addField(_ s: Int, _ e: Int, _ quoted: Bool) {
        if fieldCount == fieldCapacity { growFields() }
        fieldStart[fieldCount] = s
        fieldEnd[fieldCount] = e
        fieldQuoted[fieldCount] = quoted
        fieldCount += 1
    }

    /// Scans one record at `start`; `false` when the buffer ends inside it (or is empty).
    private func scan() -> Bool {
        let b = buffer
        let cls = classes
        let limit = end
        var i = start
        if i == limit { return false }
        fieldCount = 0
        var fieldBegin = i
        var quoted = false
        var newlines = 0
        while true {
            // Unquoted part of a field: stop at a delimiter, quote or line feed. Eight bytes at a
            // time while they hold none of them (the lowest flagged byte is always a real match).
            while i &+ 8 <= limit {
                let w = UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
                let d = w ^ delimiterWord
                let q = w ^ 0x2222_2222_2222_2222
                let n = w ^ lineEndWord
                let ones: UInt64 = 0x0101_0101_0101_0101
                let high: UInt64 = 0x8080_8080_8080_8080
                let m = ((d &- ones) & ~d | (q &- ones) & ~q | (n &- ones) & ~n) & high
                if m != 0 {
                    i &+= m.trailingZeroBitCount >> 3
                    break
                }
                i &+= 8
            }
            while i < limit && cls[Int(b[i])] == 0 { i &+= 1 }
            if i == limit {
                if !eof { return false }
                addField(fieldBegin, i, quoted)
                break
            }
            let k = cls[Int(b[i])]
            if k == 1 {
                addField(fieldBegin, i, quoted)
                i &+= 1
                fieldBegin = i
                quoted = false
                continue
            }
            if k == 3 {
                newlines &+= 1
                let fieldStop = (i > fieldBegin && b[i - 1] == UInt8(ascii: "\r")) ? i - 1 : i
                addField(fieldBegin, fieldStop, quoted)
                i &+= 1
                break
            }
            // A quote: everything up to the closing quote belongs to the cell.
            quoted = true
            i &+= 1
            while i < limit && b[i] != UInt8(ascii: "\"") {
                if b[i] == lineEnd { newlines &+= 1 }
                i &+= 1
            }
            if i == limit {
                if !eof { return false }
                // An unterminated quote runs to the end of the data.
                addField(fieldBegin, i, quoted)
                break
            }
            i &+= 1
        }
        recordStart = start
        recordEnd = i
        recordNewlines = newlines
        start = i
        return true
    }
}

/// Reuses the readers' block buffers: a fresh buffer costs page faults for every page.
enum BufferPool {
    private struct Buffers: @unchecked Sendable {
        // Unchecked Sendable: a buffer given back is no longer used by its giver; the Mutex hands it to one taker.
        var free: [(UnsafeMutablePointer<UInt8>, Int)] = []
    }

    private static let pool = Mutex(Buffers())

    /// A buffer of at least `capacity` bytes.
    static func take(_ capacity: Int) -> (UnsafeMutablePointer<UInt8>, Int) {
        let reused = pool.withLock { buffers -> (UnsafeMutablePointer<UInt8>, Int)? in
            guard let i = buffers.free.firstIndex(where: { $0.1 >= capacity }) else { return nil }
            return buffers.free.remove(at: i)
        }
        return reused ?? (.allocate(capacity: capacity), capacity)
    }

    /// Returns a buffer; a few are kept for the next reader, the rest are freed.
    static func give(_ buffer: UnsafeMutablePointer<UInt8>, _ capacity: Int) {
        let kept = pool.withLock { buffers -> Bool in
            guard buffers.free.count < 4, capacity <= 16 << 20 else { return false }
            buffers.free.append((buffer, capacity))
            return true
        }
        if !kept { buffer.deallocate() }
    }
}
