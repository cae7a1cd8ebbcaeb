import Dispatch
import Foundation
import KamwatchVocabulary

/// Runs jobs on every core, highest priority first; a running job may add more jobs.
///
/// Reading a book is a graph of steps of very different sizes (decode a chunk, merge a
/// table, link the accounts, look up one chunk's account ids, copy one column). Running each
/// step as soon as what it needs is done keeps both cores busy, where waiting for every
/// table at each stage would leave one idle behind the biggest table.
final class JobPool: @unchecked Sendable {
    // Unchecked Sendable: every `var` below is read and written only while `condition` is locked.
    private struct Job {
        let priority: Int
        let order: Int
        let run: @Sendable () -> Void
    }

    private let condition = NSCondition()
    /// Ready jobs, lowest priority first (so the next one is taken from the end).
    private var ready: [Job] = []
    /// Jobs added and not finished yet, running ones included.
    private var unfinished = 0
    private var added = 0
    /// When set and cancelled, jobs not started yet are dropped.
    private let cancellation: ReadCancellation?

    init(cancellation: ReadCancellation? = nil) {
        self.cancellation = cancellation
    }

    /// Adds a job; among ready jobs, higher `priority` runs first, then the earlier added.
    func add(priority: Int, _ run: @escaping @Sendable () -> Void) {
        condition.lock()
        if let cancellation, cancellation.isCancelled {
            condition.unlock()
            return
        }
        let job = Job(priority: priority, order: added, run: run)
        added += 1
        unfinished += 1
        let at = ready.firstIndex { ($0.priority, -$0.order) > (job.priority, -job.order) } ?? ready.endIndex
        ready.insert(job, at: at)
        condition.signal()
        condition.unlock()
    }

    /// Runs jobs on `workers` threads (the calling one among them) until every job, including
    /// those that jobs add, has finished.
    func run(workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        DispatchQueue.concurrentPerform(iterations: max(workers, 1)) { _ in
            while let job = next() {
                job.run()
                finished()
            }
        }
    }

    private func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        if let cancellation, cancellation.isCancelled, !ready.isEmpty {
            unfinished -= ready.count
            ready.removeAll()
            if unfinished == 0 { condition.broadcast() }
        }
        while ready.isEmpty {
            if unfinished == 0 { return nil }
            condition.wait()
        }
        return ready.removeLast()
    }

    private func finished() {
        condition.lock()
        unfinished -= 1
        if unfinished == 0 { condition.broadcast() }
        condition.unlock()
    }
}
