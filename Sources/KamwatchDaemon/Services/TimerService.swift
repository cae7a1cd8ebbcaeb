import Foundation
import KamwatchVocabulary
import ServiceLifecycle

/// Wakes the evaluator loop when the date may have changed or a silence ended (silences are
/// written by the CLI, so the state is looked at every few seconds), checks the inputs' health
/// every minute, and, when systemd's watchdog is on,
/// at half its timeout so the loop can ping it.
struct TimerService<C: Clock>: Service where C.Duration == Duration {
    let clock: C
    let evaluator: Evaluator
    let watchdogInterval: Duration?
    let events: DaemonEvents
    /// Checks the date at least this often, so a changed wall clock is noticed too.
    var dayCheck: Duration = .seconds(60)
    /// Looks this often for a silence that ended (expired by hand with the CLI): cheap, as the
    /// database is read only while an alert recorded under a silence is open.
    var silenceCheck: Duration = .seconds(5)

    func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.watchDay() }
                group.addTask { await self.watchSilences() }
                if let interval = watchdogInterval {
                    group.addTask { await self.tick(every: interval) }
                }
                await group.waitForAll()
            }
        }
    }

    private func watchDay() async {
        while !Task.isCancelled {
            let wait = min(dayCheck, await evaluator.untilMidnight() + .milliseconds(1))
            do { try await clock.sleep(for: wait) } catch { return }
            try? await evaluator.checkHealth()
            if await evaluator.dayChanged() { events.send(.dayMaybeChanged) }
        }
    }

    private func watchSilences() async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: silenceCheck) } catch { return }
            if (try? await evaluator.silenceEnded()) == true { events.send(.silenceEnded) }
        }
    }

    private func tick(every interval: Duration) async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: interval) } catch { return }
            events.send(.watchdogTick)
        }
    }
}
