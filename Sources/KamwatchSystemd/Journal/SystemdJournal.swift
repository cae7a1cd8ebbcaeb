import CSystemd
import Foundation

/// A ``JournalSink`` that writes to journald through `sd_journal_sendv`, or to stderr when no journald answers.
public struct SystemdJournal: JournalSink {
    /// journald's native protocol socket.
    public static let defaultSocketPath = "/run/systemd/journal/socket"

    /// Whether entries go to journald (decided once, when the sink is made).
    public let isUsingJournald: Bool
    private let fallback: JournalFallback

    /// Probes `socketPath` once; when nothing answers there, every entry goes to `fallback`.
    public init(socketPath: String = SystemdJournal.defaultSocketPath, fallback: JournalFallback = .standardError) {
        self.init(usingJournald: Self.journaldAnswers(at: socketPath), fallback: fallback)
    }

    /// A sink whose route is fixed by the caller, for tests of the fallback.
    public init(usingJournald: Bool, fallback: JournalFallback) {
        self.isUsingJournald = usingJournald
        self.fallback = fallback
    }

    public func send(_ entry: JournalEntry) {
        // A journald that goes away later makes sendv fail: that entry still reaches stderr.
        guard isUsingJournald, Self.sendv(entry) >= 0 else {
            fallback.emit(entry)
            return
        }
    }

    /// Sends to journald when one answered at start, and throws when it does not take the entry
    /// now (stopped, restarting); without journald the entry goes to the fallback as `send` does.
    public func deliver(_ entry: JournalEntry) throws {
        guard isUsingJournald else { return fallback.emit(entry) }
        let result = Self.sendv(entry)
        if result < 0 { throw JournalUnavailable(errno: -result) }
    }

    /// Whether a journald is listening at `path`: the socket file can outlive its journald, so connect to it.
    public static func journaldAnswers(at path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !pathBytes.isEmpty, pathBytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + 1)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        return result == 0
    }

    /// Sends `NAME=value` byte strings as one entry; returns `sd_journal_sendv`'s result (negative errno on failure).
    static func sendv(_ fields: [[UInt8]]) -> Int32 {
        withIOVecs(fields) { vectors in
            sd_journal_sendv(vectors.baseAddress, Int32(vectors.count))
        }
    }

    /// Sends `entry` as one entry; returns `sd_journal_sendv`'s result (negative errno on failure).
    static func sendv(_ entry: JournalEntry) -> Int32 {
        withIOVecs(of: entry) { vectors in
            sd_journal_sendv(vectors.baseAddress, Int32(vectors.count))
        }
    }

    /// `withIOVecs(entry.encodedFields, body)` without an array per field: each `NAME=value` is
    /// written straight into the one buffer (a first start sends tens of thousands of entries).
    static func withIOVecs<R>(of entry: JournalEntry, _ body: (UnsafeBufferPointer<iovec>) -> R) -> R {
        let fields = entry.allFields
        var size = 0
        for field in fields { size += field.name.rawValue.utf8.count + 1 + field.value.count }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(size)
        var lengths: [Int] = []
        lengths.reserveCapacity(fields.count)
        for field in fields {
            let start = buffer.count
            buffer.append(contentsOf: field.name.rawValue.utf8)
            buffer.append(UInt8(ascii: "="))
            buffer.append(contentsOf: field.value)
            lengths.append(buffer.count - start)
        }
        return withIOVecs(buffer, lengths: lengths, body)
    }

    /// Lays the fields out in one buffer and calls `body` with an iovec per field pointing into it.
    static func withIOVecs<R>(_ fields: [[UInt8]], _ body: (UnsafeBufferPointer<iovec>) -> R) -> R {
        withIOVecs(fields.flatMap { $0 }, lengths: fields.map(\.count), body)
    }

    /// Calls `body` with an iovec per field of `buffer`, the fields' bytes one after another.
    private static func withIOVecs<R>(
        _ buffer: [UInt8], lengths: [Int], _ body: (UnsafeBufferPointer<iovec>) -> R
    ) -> R {
        buffer.withUnsafeBytes { raw in
            var offset = 0
            var vectors: [iovec] = []
            vectors.reserveCapacity(lengths.count)
            for length in lengths {
                let base = raw.baseAddress.map { UnsafeMutableRawPointer(mutating: $0 + offset) }
                vectors.append(iovec(iov_base: base, iov_len: length))
                offset += length
            }
            return vectors.withUnsafeBufferPointer(body)
        }
    }
}

extension JournalFallback {
    /// Writes to file descriptor 2, retrying short writes.
    public static let standardError = JournalFallback { bytes in
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(2, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

/// journald did not take an entry.
public struct JournalUnavailable: Error, Sendable, CustomStringConvertible {
    public var errno: Int32

    public init(errno: Int32) { self.errno = errno }

    public var description: String { "journald does not take entries: \(String(cString: strerror(errno)))" }
}
