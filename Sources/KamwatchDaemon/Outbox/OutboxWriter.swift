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
        let name = OutboxFileName.name(
            seq: record.seq, time: record.time, rule: record.rule, accountID: record.accountID)
        let final = directory + "/" + name
        let temp = directory + "/.kamwatch-\(OutboxFileName.seqPrefix(record.seq))-\(getpid()).tmp"
        let bytes = Array(OutboxDocument.json(record).utf8)
        unlink(temp)  // a leftover of an earlier crash with the same pid
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutboxError(path: temp, operation: "create", errno: errno) }
        defer { unlink(temp) }
        do {
            defer { close(fd) }
            try writeAll(fd, bytes, path: temp)
            guard fsync(fd) == 0 else { throw OutboxError(path: temp, operation: "fsync", errno: errno) }
        }
        if link(temp, final) != 0 {
            let e = errno
            if e == EEXIST { return .alreadyPresent(name) }
            throw OutboxError(path: final, operation: "link", errno: e)
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
