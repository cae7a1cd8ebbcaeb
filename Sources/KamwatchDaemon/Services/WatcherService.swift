import KamwatchVocabulary
import Logging
import ServiceLifecycle

/// Feeds inotify events into the quiet period, and quiet batches into the evaluator loop.
struct WatcherService<C: Clock>: Service where C.Duration == Duration {
    let watcher: InotifyWatcher
    let quiet: QuietPeriod<C>
    let events: DaemonEvents
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown { [watcher, quiet, events, logger] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await watcher.run(logger: logger) { quiet.note($0) } }
                group.addTask { await quiet.run { events.send(.data($0)) } }
                await group.waitForAll()
            }
        }
    }
}
