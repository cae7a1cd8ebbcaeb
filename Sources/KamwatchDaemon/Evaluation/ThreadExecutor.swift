import Dispatch
import Foundation
import Synchronization

/// An executor that runs its jobs one at a time on a thread of its own, for work that blocks.
///
/// Reading the data files, assembling the book, SQLite writes and the outbox's fsyncs block
/// their thread for as long as they take (16 s for a first start on a big book). The
/// cooperative pool has one thread per core, so blocking one of them stalls the rest of the
/// daemon (the watchdog ping, the watcher, signal handling). The `Evaluator` actor runs on this
/// executor; start-up and reload read their files on it through `withTaskExecutorPreference`.
/// The thread ends once the executor is released and the jobs queued before are done.
public final class ThreadExecutor: SerialExecutor, TaskExecutor {
    /// The thread's name (`ps -L`, `top -H`): at most 15 bytes.
    public let name: String
    private let queue = JobQueue()

    public init(name: String) {
        self.name = name
        // The thread holds the queue and unowned references only: releasing the executor stops it.
        Thread.start(named: name) { [queue, serial = asUnownedSerialExecutor(), task = asUnownedTaskExecutor()] in
            queue.run { $0.runSynchronously(isolatedTo: serial, taskExecutor: task) }
        }
    }

    deinit { queue.stop() }

    public func enqueue(_ job: consuming ExecutorJob) {
        queue.push(UnownedJob(job))
    }

    /// Whether the caller runs on this executor's thread.
    public var isCurrent: Bool { queue.isCurrentThread }

    public func checkIsolated() {
        precondition(isCurrent, "expected to run on the \(name) thread")
    }

    public func isIsolatingCurrentContext() -> Bool? { isCurrent }
}

/// The jobs waiting for the thread: a queue under a lock, and a semaphore counting its entries
/// (one per job, one for the stop).
private final class JobQueue: Sendable {
    private struct State {
        var jobs: [UnownedJob] = []
        var stopping = false
        var thread: pthread_t?
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    func push(_ job: UnownedJob) {
        state.withLock { $0.jobs.append(job) }
        available.signal()
    }

    func stop() {
        state.withLock { $0.stopping = true }
        available.signal()
    }

    var isCurrentThread: Bool {
        state.withLock { s in s.thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
    }

    /// The thread's body: runs jobs in order until stopped and empty.
    func run(_ body: (UnownedJob) -> Void) {
        state.withLock { $0.thread = pthread_self() }
        while true {
            available.wait()
            let (next, done) = state.withLock { s in (s.jobs.isEmpty ? nil : s.jobs.removeFirst(), s.stopping) }
            if let job = next {
                body(job)
            } else if done {
                return
            }
        }
    }
}
