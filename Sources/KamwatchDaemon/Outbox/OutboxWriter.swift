import Foundation
import Glibc
import KamwatchState

/// Writes alert files into `<outbox>/alerts/` atomically and never over an existing file.
///
/// Each file is written to a dot-named temporary in the same directory, fsynced, then
/// hard-linked to its final name (`link` fails rather than replace an existing file) and the
/// temporary removed; the directory is fsynced before the transitions are marked emitted.
public struct OutboxWriter: Sendable {
    /// `<outbox>/alerts`.
    public let directory: String

    /// Creates `<outbox>/alerts` when missing.
    public init(outboxDir: String) throws {
        directory = (outboxDir as NSString).appendingPathComponent("alerts")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// What `write` found.
    public enum Outcome: Sendable, Equatable {
        case written(String)
        /// A file with this name already existed (a previous run wrote it); left untouched.
        case alreadyPresent(String)
    }

    /// Writes the file of `record`; call `syncDirectory()` before relying on it.
    @discardableResult
    public func write(_ record: TransitionRecord) throws -> Outcome {
        let temp = try writeTemporary(record, fsync: true)
        defer { unlink(temp) }
        return try publish(record, temp: temp)
    }

    /// Writes the files of `records`; call `syncDirectory()` before relying on them.
    ///
    /// A big batch (the first evaluation of a large book) is flushed with one `sync()` instead
    /// of one `fsync` per file: the temporaries are all durable before any of them is linked.
    @discardableResult
    public func write(_ records: [TransitionRecord]) throws -> [Outcome] {
        guard records.count > Self.batchThreshold else { return try records.map { try write($0) } }
        var temps: [String] = []
        defer { for t in temps { unlink(t) } }
        for r in records { temps.append(try writeTemporary(r, fsync: false)) }
        sync()
        return try zip(records, temps).map { try publish($0, temp: $1) }
    }

    /// Above this many files a batch is flushed with one `sync()`.
    static let batchThreshold = 32

    private func writeTemporary(_ record: TransitionRecord, fsync shouldSync: Bool) throws -> String {
        let temp = directory + "/.kamwatch-\(OutboxFileName.seqPrefix(record.seq))-\(getpid()).tmp"
        let bytes = Array(OutboxDocument.json(record).utf8)
        unlink(temp)  // a leftover of an earlier crash with the same pid
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutboxError(path: temp, operation: "create", errno: errno) }
        defer { close(fd) }
        do {
            try writeAll(fd, bytes, path: temp)
            if shouldSync, fsync(fd) != 0 { throw OutboxError(path: temp, operation: "fsync", errno: errno) }
        } catch {
            unlink(temp)
            throw error
        }
        return temp
    }

    /// Links the finished temporary to the record's name; never replaces an existing file.
    private func publish(_ record: TransitionRecord, temp: String) throws -> Outcome {
        let name = OutboxFileName.name(
            seq: record.seq, time: record.time, rule: record.rule, accountID: record.accountID)
        if link(temp, directory + "/" + name) != 0 {
            let e = errno
            if e == EEXIST { return .alreadyPresent(name) }
            throw OutboxError(path: directory + "/" + name, operation: "link", errno: e)
        }
        return .written(name)
    }

    /// Makes the directory's new entries durable.
    public func syncDirectory() throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw OutboxError(path: directory, operation: "open", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw OutboxError(path: directory, operation: "fsync", errno: errno) }
    }

    /// The seqs of the alert files present now.
    public func presentSeqs() throws -> Set<Int64> {
        Set(try FileManager.default.contentsOfDirectory(atPath: directory).compactMap(OutboxFileName.seq(of:)))
    }

    /// Removes temporaries left by a crash in the middle of a write (never a finished file).
    public func removeStaleTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(".kamwatch-") && name.hasSuffix(".tmp") {
            unlink(directory + "/" + name)
        }
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw OutboxError(path: path, operation: "write", errno: errno)
                }
                offset += n
            }
        }
    }
}

/// An outbox file operation failed.
public struct OutboxError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var errno: Int32

    public var description: String { "\(path): cannot \(operation): \(String(cString: strerror(errno)))" }
}
