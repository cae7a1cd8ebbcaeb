import KamwatchVocabulary
import ServiceLifecycle
import UnixSignals

/// Turns `SIGHUP` into a reload request for the evaluator loop.
struct ReloadSignalService: Service {
    /// Trapped before `READY=1`, so that an early `SIGHUP` does not kill the daemon.
    let signals: UnixSignalsSequence
    let events: DaemonEvents

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            events.send(.reload)
        }
    }
}
