import KamwatchVocabulary
import Synchronization

/// Collects data changes and hands them on once the directory has been quiet for `quiet`,
/// so that a burst of writes is evaluated once. A never-ending stream of writes is still
/// evaluated at least every `maxWait`.
public final class QuietPeriod<C: Clock>: Sendable where C.Duration == Duration {
    private struct State {
        var pending = DataChange()
        var first: C.Instant?
        var last: C.Instant?
    }

    private let clock: C
    private let quiet: Duration
    private let maxWait: Duration
    private let state = Mutex(State())
    private let pokes: AsyncStream<Void>
    private let poke: AsyncStream<Void>.Continuation

    public init(quiet: Duration, maxWait: Duration? = nil, clock: C) {
        self.clock = clock
        self.quiet = quiet
        self.maxWait = maxWait ?? max(quiet * 10, .seconds(5))
        (pokes, poke) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Notes a change now (any thread).
    public func note(_ change: DataChange) {
        let now = clock.now
        state.withLock { s in
            s.pending.formUnion(change)
            if s.first == nil { s.first = now }
            s.last = now
        }
        poke.yield()
    }

    /// Hands each quiet batch to `deliver`, until cancelled.
    public func run(deliver: @Sendable (DataChange) async -> Void) async {
        for await _ in pokes {
            while !Task.isCancelled {
                let deadline: C.Instant? = state.withLock { s in
                    guard let first = s.first, let last = s.last else { return nil }
                    return min(last.advanced(by: quiet), first.advanced(by: maxWait))
                }
                guard let deadline else { break }
                if clock.now >= deadline {
                    let batch = state.withLock { s in
                        defer { s = State() }
                        return s.pending
                    }
                    if !batch.isEmpty { await deliver(batch) }
                    break
                }
                do { try await clock.sleep(until: deadline, tolerance: nil) } catch { return }
            }
        }
    }

    /// Ends `run` once the current batch (if any) is delivered.
    public func finish() { poke.finish() }
}
