import CScan
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

    /// The delimiter.
    private var delimiter = UInt8(ascii: ",")
    /// The line end byte (a line feed, or a carriage return in CR-only files).
    private var lineEnd = UInt8(ascii: "\n")
    /// The 64-byte block of the buffer scanned last (its offset, a multiple of 64, or -1), as
    /// bit masks (bit k for byte `blockAt + k`): quotes, delimiters and line ends in `special`,
    /// quotes alone in `quotes`, line ends alone in `lineEnds`. Buffers have 64 bytes beyond
    /// `capacity`, so that a block can always be loaded whole; bits beyond `end` are ignored.
    private var blockAt = -1
    private var blockSpecial: UInt64 = 0
    private var blockQuotes: UInt64 = 0
    private var blockLineEnds: UInt64 = 0
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
        let (taken, takenCapacity) = BufferPool.take(max(blockSize, 64) + RecordReader.slack)
        buffer = taken
        capacity = takenCapacity - RecordReader.slack
        fieldStart = .allocate(capacity: fieldCapacity)
        fieldEnd = .allocate(capacity: fieldCapacity)
        fieldQuoted = .allocate(capacity: fieldCapacity)
        setDelimiter(UInt8(ascii: ","))
    }

    deinit {
        BufferPool.give(buffer, capacity + RecordReader.slack)
        fieldStart.deallocate()
        fieldEnd.deallocate()
        fieldQuoted.deallocate()
    }

    /// Stream offset of the next unread record.
    var position: Int { base + start }

    /// Set when the stream is converted from Windows-1251 bytes of a file, read from offset 0
    /// of the stream: file offsets (chunk limits) then count input bytes, not stream bytes.
    var converter: Windows1251Source?

    /// Whether the next record starts before file offset `limit` (the end of a chunk).
    @inline(__always)
    func startsBefore(_ limit: Int) -> Bool {
        guard let converter else { return position < limit }
        // Until the input has reached the limit, everything read lies before it.
        guard let at = converter.convertedAtLimit else { return true }
        return position < at
    }

    /// The file offset of the next unread record, from `chunkStart` on; -1 when it is not known
    /// (a converted stream, past the chunk's limit).
    func fileOffset(chunkStart: Int, limit: Int) -> Int {
        guard let converter else { return position }
        if let at = converter.convertedAtLimit, position == at { return limit }
        return position == 0 ? chunkStart : -1
    }

    /// Uses `delimiter` from now on.
    func setDelimiter(_ delimiter: UInt8) {
        self.delimiter = delimiter
        blockAt = -1
    }

    /// Uses `dialect`'s delimiter and line end from now on.
    func setDialect(_ dialect: CSVDialect) {
        lineEnd = dialect.lineEnd
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
        blockAt = -1
        if start > 0 {
            let live = end - start
            if live > 0 { (buffer).update(from: buffer + start, count: live) }
            base += start
            // Bytes skipped unscanned (a byte-order mark) were never validated.
            validated = max(validated - start, 0)
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
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2 + RecordReader.slack)
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
        // UTF-8 is validated block by block as records are scanned (`loadBlock`).
    }

    /// Grows the field arrays, keeping their first `kept` fields, to room for `room` more.
    @inline(never)
    private func growFields(keeping kept: Int, room: Int) {
        fieldCount = kept
        let newCapacity = max(fieldCapacity * 2, kept + room)
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

    /// Bytes allocated beyond `capacity`, for loading a whole 64-byte block near the end.
    private static let slack = 64

    /// Computes the masks of the 64-byte block at buffer offset `at` (SSE2 or NEON compares and
    /// movemasks, in CScan) and validates its UTF-8 (an all-ASCII block at once).
    @inline(__always)
    private func loadBlock(_ at: Int) {
        let masks = kw_scan_block(buffer + at, delimiter, lineEnd)
        blockAt = at
        blockSpecial = masks.special
        blockQuotes = masks.quotes
        blockLineEnds = masks.lineEnds
        if checkUTF8 && validated < at &+ 64 && validated < end {
            if validated >= at && masks.high == 0 {
                validated = min(at &+ 64, end)
            } else if validated >= at &- 1 && at &+ 64 <= end && validTwoByteText(at, high: masks.high) {
                // Checked from the masks (ASCII and two-byte sequences, as Cyrillic text is).
            } else {
                // Text that is not ASCII: validate a few kilobytes ahead at once (about to be
                // scanned, so in the cache), not a call per block.
                validateUTF8(upTo: min(at &+ 4096, end))
            }
        }
    }

    /// Whether the whole block at `at` is ASCII and two-byte sequences only, every lead followed
    /// by one continuation, and then marks it validated (up to a lead in its last byte, whose
    /// continuation is in the next block). Everything before `validated` is valid; a two-byte
    /// lead at `at - 1` wants a continuation first; a block starting inside a sequence fails the
    /// test. `false` for anything else, which `UTF8Check` then reads.
    @inline(__always)
    private func validTwoByteText(_ at: Int, high: UInt64) -> Bool {
        var carry: UInt64 = 0
        if validated < at {
            let c = buffer[validated]
            guard c >= 0xC2 && c <= 0xDF else { return false }
            carry = 1
        }
        let classes = kw_utf8_block(buffer + at)
        let leads = classes.leads2
        guard high & ~(leads | classes.continuations) == 0, classes.continuations == leads &<< 1 | carry else {
            return false
        }
        if leads &>> 63 == 0 {
            validated = at &+ 64
        } else {
            // The continuation is in the next block, which the scan of this record loads; at
            // the end of the data read so far, `UTF8Check` decides (a cut sequence at the end).
            guard at &+ 64 < end else { return false }
            validated = at &+ 63
        }
        return true
    }

    /// Validates the buffer from `validated` to `upTo`; a sequence cut at the end of the data
    /// read so far waits for the next block.
    private func validateUTF8(upTo: Int) {
        switch UTF8Check.validate(buffer, validated, upTo, atEnd: eof && upTo == end) {
        case .valid(let upTo): validated = upTo
        case .invalid: invalidUTF8 = true
        }
    }

    /// Bits 0..<n set (all of them for 64 and more).
    @inline(__always)
    private static func below(_ n: Int) -> UInt64 { n >= 64 ? ~0 : (1 &<< UInt64(n)) &- 1 }

    /// Bits 0...k set (k < 64).
    @inline(__always)
    private static func through(_ k: Int) -> UInt64 { (2 &<< UInt64(k)) &- 1 }

    /// Bit k set when an odd number of `quotes`' bits are at k or below: the bytes from an
    /// opening quote up to (not including) its closing quote.
    @inline(__always)
    static func insideQuotes(_ quotes: UInt64) -> UInt64 {
        var x = quotes
        x ^= x &<< 1
        x ^= x &<< 2
        x ^= x &<< 4
        x ^= x &<< 8
        x ^= x &<< 16
        x ^= x &<< 32
        return x
    }

    /// Scans one record at `start`; `false` when the buffer ends inside it (or is empty, or the
    /// data was found not to be UTF-8). Quoted parts are found a block at a time from the
    /// quotes' prefix parity; then it walks the set bits of the delimiters and line ends outside
    /// quotes: one step per field, none per other byte.
    private func scan() -> Bool {
        let b = buffer
        let limit = end
        let lineEnd = self.lineEnd
        let i0 = start
        if i0 == limit { return false }
        // The fields are collected in locals (kept in registers), and published at the end.
        var count = 0
        var starts = fieldStart
        var ends = fieldEnd
        var quotedFlags = fieldQuoted
        // Room for a block's fields (at most 64, and the last one at the end of the data) is
        // made whenever the walk moves to a block, not at every field.
        @inline(__always) func makeRoom() {
            if count &+ 65 > fieldCapacity { growFields(keeping: count, room: 65) }
            starts = fieldStart
            ends = fieldEnd
            quotedFlags = fieldQuoted
        }
        @inline(__always) func addField(_ s: Int, _ e: Int, _ quoted: Bool) {
            starts[count] = s
            ends[count] = e
            quotedFlags[count] = quoted
            count &+= 1
        }
        var at = i0 & ~63
        if at != blockAt { loadBlock(at) }
        makeRoom()
        var fieldBegin = i0
        // This block's bits from the current field's start, and whether the field had a quote
        // in an earlier block; line ends inside quotes (the terminator is added at the end).
        let first = ~RecordReader.below(i0 &- at)
        var fieldBits = first
        var quoteBefore = false
        var newlines = 0
        // The bytes inside quotes (the record starts outside them), then the delimiters and line
        // ends outside them. A block without quotes, not inside a quote, skips the parity.
        var quoty = blockQuotes & first != 0
        var inside: UInt64 = quoty ? RecordReader.insideQuotes(blockQuotes & first) : 0
        // Bits at or past the end of the data are dropped when a block is loaded, not tested
        // at every field.
        var m = blockSpecial & ~blockQuotes & ~inside & first & RecordReader.below(limit &- at)
        var i: Int
        while true {
            if m == 0 {
                if at &+ 64 < limit {
                    // On to the next block, carrying the quote parity.
                    if quoty {
                        quoteBefore = quoteBefore || blockQuotes & fieldBits != 0
                        newlines &+= (blockLineEnds & inside).nonzeroBitCount
                    }
                    let carry = 0 &- (inside &>> 63)
                    at &+= 64
                    makeRoom()
                    loadBlock(at)
                    fieldBits = ~0
                    quoty = blockQuotes | carry != 0
                    inside = quoty ? RecordReader.insideQuotes(blockQuotes) ^ carry : 0
                    m = blockSpecial & ~blockQuotes & ~inside & RecordReader.below(limit &- at)
                    continue
                }
                // The data ends inside the record: wait for more, or (at the end of the stream)
                // the last field runs to the end, an unterminated quote included.
                if !eof || invalidUTF8 { return false }
                var quoted = quoteBefore
                if quoty {
                    let rest = RecordReader.below(limit &- at)
                    newlines &+= (blockLineEnds & inside & rest).nonzeroBitCount
                    quoted = quoted || blockQuotes & fieldBits & rest != 0
                }
                addField(fieldBegin, limit, quoted)
                i = limit
                break
            }
            let p = m.trailingZeroBitCount
            m &= m &- 1
            i = at &+ p
            var quoted = quoteBefore
            if quoty {
                let before = RecordReader.below(p)
                quoted = quoted || blockQuotes & fieldBits & before != 0
                fieldBits = ~before << 1
                if b[i] == lineEnd { newlines &+= (blockLineEnds & inside & before).nonzeroBitCount }
            }
            if b[i] == lineEnd {
                newlines &+= 1
                let fieldStop = (i > fieldBegin && b[i - 1] == UInt8(ascii: "\r")) ? i - 1 : i
                addField(fieldBegin, fieldStop, quoted)
                i &+= 1
                break
            }
            addField(fieldBegin, i, quoted)
            fieldBegin = i &+ 1
            quoteBefore = false
        }
        if invalidUTF8 { return false }
        fieldCount = count
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
