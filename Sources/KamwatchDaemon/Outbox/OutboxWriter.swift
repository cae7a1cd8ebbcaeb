import Foundation
import KamwatchState
import KamwatchVocabulary

/// Writes alert files into `<outbox>/alerts/` atomically and never over an existing file.
///
/// Each file is written to a dot-named temporary in the same directory, fsynced, then
/// hard-linked to its final name (`link` fails rather than replace an existing file) and the
/// temporary removed; the directory is fsynced before the transitions are marked emitted. A big
/// batch is synced at once and renamed (`renameat2` with `RENAME_NOREPLACE`, which fails rather
/// than replace too).
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
    /// A big batch (the first evaluation of a large book) is flushed with one `syncfs` of the
    /// outbox's file system instead of one `fsync` per file: the temporaries are all durable
    /// before any of them is linked.
    @discardableResult
    public func write(_ records: [TransitionRecord]) throws -> [Outcome] {
        guard records.count > Self.batchThreshold else { return try records.map { try write($0) } }
        var temps: [String] = []
        temps.reserveCapacity(records.count)
        do {
            for r in records { temps.append(try writeTemporary(r, fsync: false)) }
        } catch {
            for t in temps { unlink(t) }
            throw error
        }
        return try publish(records, temporaries: temps)
    }

    /// Starts writing the files of `records` (transitions about to be recorded, their seqs
    /// foreseen) as temporaries on another thread; `publish(_:ahead:)` names them once the
    /// transitions are recorded. Nothing a reader takes is written before that: a crash leaves
    /// dot-named temporaries, which the next start removes.
    public func writeAhead(_ records: [TransitionRecord]) -> Ahead {
        Ahead(records) { try self.writeTemporary($0, fsync: false) }
    }

    /// Gives the files written ahead their names, once `records` are recorded; when the
    /// records are not the ones foreseen (other seqs), or writing ahead failed, writes them
    /// again as `write` does.
    @discardableResult
    public func publish(_ records: [TransitionRecord], ahead: Ahead) throws -> [Outcome] {
        let (temps, failed) = ahead.wait()
        guard !failed, ahead.records == records else {
            for t in temps { unlink(t) }
            return try write(records)
        }
        return try publish(records, temporaries: temps)
    }

    /// Temporaries being written on another thread, ahead of their transitions' recording.
    public final class Ahead: @unchecked Sendable {
        /// The transitions as foreseen.
        let records: [TransitionRecord]
        // Written by the writing thread before `done.leave()`, read after `done.wait()`.
        private var temps: [String] = []
        private var failed = false
        private let done = DispatchGroup()

        init(_ records: [TransitionRecord], write: @escaping @Sendable (TransitionRecord) throws -> String) {
            self.records = records
            done.enter()
            DispatchQueue.global(qos: .userInitiated).async { [self] in
                temps.reserveCapacity(records.count)
                do {
                    for r in records { temps.append(try write(r)) }
                } catch {
                    failed = true
                }
                done.leave()
            }
        }

        /// Waits until the writing is done: the temporaries written, and whether one failed.
        func wait() -> (temporaries: [String], failed: Bool) {
            done.wait()
            return (temps, failed)
        }

        /// Removes the temporaries (the transitions were not recorded).
        public func discard() {
            for t in wait().temporaries { unlink(t) }
        }
    }

    /// Flushes the finished temporaries with one `syncfs` and gives each its record's name.
    private func publish(_ records: [TransitionRecord], temporaries temps: [String]) throws -> [Outcome] {
        var published = 0
        // Temporaries not yet given their name (all of them, if the flush failed).
        defer { for t in temps[published...] { unlink(t) } }
        try DurableFile.syncFileSystem(of: directory)
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(records.count)
        for (r, temp) in zip(records, temps) {
            // Renamed, not linked: one change to the (large) directory per file, not two.
            let name = Self.name(of: r)
            let written = try DurableFile.publishMoving(temp, as: directory + "/" + name)
            published += 1
            outcomes.append(written ? .written(name) : .alreadyPresent(name))
        }
        return outcomes
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
