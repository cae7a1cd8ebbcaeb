import Synchronization

/// A stop asked for by `SIGTERM` or `SIGINT`, at any moment from the start of `run()`: during
/// start-up it cancels start-up; once the services run it shuts them down gracefully.
final class StopRequest: Sendable {
    private struct State {
        var requested = false
        var action: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    /// Whether a stop was asked for.
    var isRequested: Bool { state.withLock { $0.requested } }

    /// Asks for the stop: runs the current action (once per action).
    func request() {
        let action = state.withLock { s in
            s.requested = true
            defer { s.action = nil }
            return s.action
        }
        action?()
    }

    /// What a stop does from now on; runs it at once when a stop was already asked for.
    func onRequest(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { s in
            s.action = s.requested ? nil : action
            return s.requested
        }
        if now { action() }
    }
}
