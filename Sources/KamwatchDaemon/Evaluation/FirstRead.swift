import Foundation
import KamwatchData
import Logging
import Synchronization

/// Start-up's first read of the data directory, on a thread of its own: it overlaps opening the
/// state (with its integrity check), finishing the emissions a crash left and loading the open
/// alerts. The first evaluation waits for it and takes the tables it read.
final class FirstRead: @unchecked Sendable {
    /// What the read gave: the filled cache, the data's problem (see `DataCache.reload`) and
    /// how long it took.
    struct Result: Sendable {
        var cache: DataCache
        var problem: String?
        var time: Duration
    }

    // Written by the reading thread before `done.leave()`, read after `done.wait()`.
    private var result: Result?
    private let done = DispatchGroup()
    private let cancellation = ReadCancellation()

    /// Starts reading every table into `cache` (an empty one).
    init(_ cache: DataCache, logger: Logger) {
        done.enter()
        let cancellation = cancellation
        Thread.start(named: "kamwatch-read") { [self] in
            var cache = cache
            let started = ContinuousClock.now
            let problem = cache.reload(Set(TableName.allCases), logger: logger, cancellation: cancellation)
            result = Result(cache: cache, problem: problem, time: ContinuousClock.now - started)
            done.leave()
        }
    }

    /// Waits until the read is done (or, cancelled, stopped).
    func wait() -> Result {
        done.wait()
        return result!
    }

    /// Stops the read at its next table or chunk: start-up is cancelled or failed.
    func cancel() { cancellation.cancel() }
}

/// Where start-up puts its `FirstRead` once started, so that a stop asked for meanwhile (from
/// another thread) can cancel it.
final class FirstReadSlot: Sendable {
    private let state = Mutex<(read: FirstRead?, cancelled: Bool)>((nil, false))

    /// Holds `read`; cancels it at once when `cancel()` came first.
    func hold(_ read: FirstRead) {
        let cancelled = state.withLock { s in
            s.read = read
            return s.cancelled
        }
        if cancelled { read.cancel() }
    }

    /// Cancels the read held, and any read held later.
    func cancel() {
        let read = state.withLock { s in
            s.cancelled = true
            return s.read
        }
        read?.cancel()
    }
}
