import KamwatchVocabulary

/// Work for the evaluator loop, from the other services.
public enum DaemonEvent: Sendable, Equatable {
    /// Files changed and the directory has been quiet since.
    case data(DataChange)
    /// `SIGHUP`: reload config and rules.
    case reload
    /// The date may have rolled over in the configured zone.
    case dayMaybeChanged
    /// A silence ended (expired by hand) while an alert it covered still holds.
    case silenceEnded
    /// Time to tell the watchdog the work loop is alive.
    case watchdogTick
}

/// The queue of `DaemonEvent`s: many producers, one consumer (the evaluator loop).
public struct DaemonEvents: Sendable {
    public let stream: AsyncStream<DaemonEvent>
    private let continuation: AsyncStream<DaemonEvent>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: DaemonEvent.self)
    }

    public func send(_ event: DaemonEvent) { continuation.yield(event) }
    public func finish() { continuation.finish() }
}
