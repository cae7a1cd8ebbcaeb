import Foundation
import KamwatchState
import KamwatchVocabulary

/// Writes alert files into `<outbox>/alerts/` atomically and never over an existing file.
///
/// Each file is written to a dot-named temporary in the same directory, fsynced, then
/// hard-linked to its final name (`link` fails rather than replace an existing file) and the
/// temporary removed; the directory is fsynced before the transitions are marked emitted. A big
/// batch is synced at once, then named: its files are written without a name (`O_TMPFILE`, one
/// directory change per file instead of three, nothing left behind by a crash) while the file
/// system and the descriptor limit allow, the rest as temporaries renamed (`renameat2` with
/// `RENAME_NOREPLACE`); either way an existing file is never replaced.
public struct OutboxWriter: Sendable {
    /// `<outbox>/alerts`.
    public let directory: String
    /// A big batch's files are written unnamed while their descriptors stay below this; `nil`
    /// when the directory's file system cannot name unnamed files.
    let unnamedCeiling: Int32?

    /// Creates `<outbox>/alerts` when missing. `descriptorCeiling` bounds the descriptors a big
    /// batch keeps open (by default the process's limit less 128).
    public init(outboxDir: String, descriptorCeiling: Int32? = nil) throws {
        directory = (outboxDir as NSString).appendingPathComponent("alerts")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        unnamedCeiling =
            DurableFile.canPublishUnnamed(in: directory) ? descriptorCeiling ?? Self.descriptorLimit() - 128 : nil
    }

    /// The soft limit on open descriptors (the unit raises it: `LimitNOFILE=`).
    private static func descriptorLimit() -> Int32 {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int32(clamping: limit.rlim_cur)
    }

    /// A big batch's file, written but not yet named.
    enum Pending: Sendable {
        /// A dot-named temporary in the directory.
        case temporary(String)
        /// An unnamed file's descriptor.
        case unnamed(Int32)

        /// Removes the temporary, or closes the unnamed file (which then goes away).
        func discard() {
            switch self {
            case .temporary(let path): unlink(path)
            case .unnamed(let fd): close(fd)
            }
        }
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
    /// A big batch (the first evaluation of a large book) is flushed with one `syncfs` of the
    /// outbox's file system instead of one `fsync` per file: the temporaries are all durable
    /// before any of them is linked.
    @discardableResult
    public func write(_ records: [TransitionRecord]) throws -> [Outcome] {
        guard records.count > Self.batchThreshold else { return try records.map { try write($0) } }
        return try publish(records, pending: try writePending(records))
    }

    /// Writes the files of a big batch, none named yet: unnamed while the file system and the
    /// descriptor ceiling allow, then as temporaries. On failure nothing is left behind.
    func writePending(_ records: [TransitionRecord]) throws -> [Pending] {
        var pending: [Pending] = []
        pending.reserveCapacity(records.count)
        var ceiling = unnamedCeiling
        do {
            for r in records {
                let bytes = Array(OutboxDocument.json(r).utf8)
                if let limit = ceiling {
                    if let fd = try DurableFile.writeUnnamed(bytes, in: directory, fdCeiling: limit) {
                        pending.append(.unnamed(fd))
                        continue
                    }
                    ceiling = nil
                }
                let temp = DurableFile.temporaryPath(in: directory)
                try DurableFile.writeTemporary(bytes, at: temp, sync: false)
                pending.append(.temporary(temp))
            }
        } catch {
            for p in pending { p.discard() }
            throw error
        }
        return pending
    }

    /// Starts writing the files of `records` (transitions about to be recorded, their seqs
    /// foreseen) as temporaries on another thread; `publish(_:ahead:)` names them once the
    /// transitions are recorded. Nothing a reader takes is written before that: a crash leaves
    /// dot-named temporaries, which the next start removes.
    public func writeAhead(_ records: [TransitionRecord]) -> Ahead {
        Ahead(records, write: { try self.writePending($0) }, flush: { try self.flush() })
    }

    /// Gives the files written ahead their names, once `records` are recorded; when the
    /// records are not the ones foreseen (other seqs), or writing ahead failed, writes them
    /// again as `write` does.
    @discardableResult
    public func publish(_ records: [TransitionRecord], ahead: Ahead) throws -> [Outcome] {
        let (pending, failed, flushed) = ahead.wait()
        guard !failed, ahead.records == records else {
            for p in pending { p.discard() }
            return try write(records)
        }
        return try publish(records, pending: pending, flushed: flushed)
    }

    /// Temporaries being written on another thread, ahead of their transitions' recording.
    public final class Ahead: @unchecked Sendable {
        /// The transitions as foreseen.
        let records: [TransitionRecord]
        // Written by the writing thread before `done.leave()`, read after `done.wait()`.
        private var pending: [Pending] = []
        private var failed = false
        private var flushed = false
        private let done = DispatchGroup()

        /// Writes each record with `write`, then makes them all durable with `flush` while the
        /// transitions are still being recorded: their names come only after the commit, so the
        /// flush needs only to come before the names, and the commit's wait overlaps it.
        init(
            _ records: [TransitionRecord], write: @escaping @Sendable ([TransitionRecord]) throws -> [Pending],
            flush: @escaping @Sendable () throws -> Void
        ) {
            self.records = records
            done.enter()
            DispatchQueue.global(qos: .userInitiated).async { [self] in
                do {
                    pending = try write(records)
                } catch {
                    failed = true
                }
                // A failed flush is not fatal here: `publish` flushes again (and reports it).
                if !failed { flushed = (try? flush()) != nil }
                done.leave()
            }
        }

        /// Waits until the writing is done: the files written (none when one failed), whether
        /// one failed, and whether they were all made durable.
        func wait() -> (pending: [Pending], failed: Bool, flushed: Bool) {
            done.wait()
            return (pending, failed, flushed)
        }

        /// Drops the files written (the transitions were not recorded).
        public func discard() {
            for p in wait().pending { p.discard() }
        }
    }

    /// Flushes the finished files with one `syncfs` (unless `flushed` says they already are
    /// durable) and gives each its record's name.
    func publish(
        _ records: [TransitionRecord], pending: [Pending], flushed: Bool = false
    ) throws -> [Outcome] {
        var published = 0
        // Files not yet given their name (all of them, if the flush failed).
        defer { for p in pending[published...] { p.discard() } }
        if !flushed { try flush() }
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(records.count)
        // The records of one evaluation share their time: it is written once.
        var stamp: (time: Date, text: String)?
        for (r, file) in zip(records, pending) {
            if stamp?.time != r.time { stamp = (r.time, RFC3339.compact(r.time)) }
            let name = OutboxFileName.name(seq: r.seq, stamp: stamp!.text, rule: r.rule, accountID: r.accountID)
            let written: Bool
            switch file {
            case .unnamed(let fd):
                written = try DurableFile.publishUnnamed(fd, as: directory + "/" + name)
            case .temporary(let temp):
                // Renamed, not linked: one change to the (large) directory per file, not two.
                written = try DurableFile.publishMoving(temp, as: directory + "/" + name)
            }
            published += 1
            outcomes.append(written ? .written(name) : .alreadyPresent(name))
        }
        return outcomes
    }

    /// Makes every file written so far durable: one `syncfs` of the outbox's file system.
    private func flush() throws {
        try DurableFile.syncFileSystem(of: directory)
    }

    /// Above this many files a batch is flushed with one `syncfs`.
    static let batchThreshold = 32

    private func writeTemporary(_ record: TransitionRecord, fsync shouldSync: Bool) throws -> String {
        let temp = DurableFile.temporaryPath(in: directory)
        try DurableFile.writeTemporary(Array(OutboxDocument.json(record).utf8), at: temp, sync: shouldSync)
        return temp
    }

    /// Links the finished temporary to the record's name; never replaces an existing file.
    private func publish(_ record: TransitionRecord, temp: String) throws -> Outcome {
        let name = Self.name(of: record)
        return try DurableFile.publish(temp, as: directory + "/" + name) ? .written(name) : .alreadyPresent(name)
    }

    private static func name(of record: TransitionRecord) -> String {
        OutboxFileName.name(seq: record.seq, time: record.time, rule: record.rule, accountID: record.accountID)
    }

    /// Makes the directory's new entries durable.
    public func syncDirectory() throws {
        try DurableFile.syncDirectory(directory)
    }

    /// The seqs of the alert files present now.
    public func presentSeqs() throws -> Set<Int64> {
        Set(try FileManager.default.contentsOfDirectory(atPath: directory).compactMap(OutboxFileName.seq(of:)))
    }

    /// Removes temporaries left by a crash in the middle of a write (never a finished file).
    public func removeStaleTemporaries() { DurableFile.removeStaleTemporaries(in: directory) }
}

/// An outbox file operation failed.
public typealias OutboxError = DurableFile.Failure
