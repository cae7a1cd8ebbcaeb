import Synchronization

/// Stops a read early: jobs not started yet are dropped, and the tables they belonged to are
/// left out of the result (never half read). Set from any thread.
public final class ReadCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
