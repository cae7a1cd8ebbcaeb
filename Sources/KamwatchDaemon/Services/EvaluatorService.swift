import Foundation
import KamwatchSystemd
import KamwatchVocabulary
import Logging
import ServiceLifecycle

/// The work loop: takes events one at a time, evaluates, reloads, pings the watchdog.
struct EvaluatorService: Service {
    let evaluator: Evaluator
    let events: DaemonEvents
    let notifier: any Notifier
    let reloader: Reloader
    let logger: Logger
    /// Logged with the status line when the loop starts.
    let started: String
    /// Where a failed evaluation is reported, for the timer to ask for it again.
    var failures: DaemonEvents? = nil

    func run() async throws {
        let status = StatusLine.text(await evaluator.status)
        notifier.ready(status: status)
        logger.notice("started: \(status); \(started)")
        // Damage the state's check finds only now stops the daemon before it records anything.
        do {
            try await evaluator.finishStartUp()
        } catch {
            throw DaemonStartError(step: "state", reason: "\(error)")
        }
        // The first day's snapshot, left out of the first evaluation to reach READY=1 sooner.
        await attempt("recording today's history snapshot") { try await evaluator.recordDeferredHistory() }
        logger.info("start-up work finished")
        for await event in events.stream.cancelOnGracefulShutdown() {
            switch event {
            case .data(let change):
                await attempt("evaluation after a data change") { try await evaluator.dataChanged(change) }
                notifier.status(await StatusLine.text(evaluator.status))
            case .dayMaybeChanged:
                logger.info("the date changed; evaluating again")
                await attempt("evaluation after the date changed") { try await evaluator.reevaluate() }
                notifier.status(await StatusLine.text(evaluator.status))
            case .silenceEnded:
                logger.info("a silence ended; evaluating again")
                await attempt("evaluation after a silence ended") { try await evaluator.reevaluate() }
            case .retry:
                guard await evaluator.needsRetry else { continue }
                logger.info("trying the failed evaluation again")
                await attempt("evaluation tried again") { try await evaluator.reevaluate() }
                notifier.status(await StatusLine.text(evaluator.status))
            case .reload:
                notifier.reloading()
                let refusal = await reloader.reload(evaluator: evaluator)
                notifier.ready(status: await StatusLine.text(evaluator.status, refusal: refusal))
            case .watchdogTick:
                notifier.watchdog()
            }
        }
        notifier.stopping()
        logger.info("stopping")
    }

    /// Runs `body`; a failure is logged and shown on the status line, and the loop goes on.
    private func attempt(_ what: String, _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch {
            logger.error("\(what) failed: \(error)")
            await evaluator.noteError("\(error)")
            failures?.send(.retry)
        }
    }
}

/// The `STATUS=` line: accounts watched, alerts open, last evaluation, last error.
enum StatusLine {
    static func text(_ s: Evaluator.Status, refusal: String? = nil) -> String {
        var parts = ["watching \(s.accounts) accounts", "\(s.openAlerts) alerts open"]
        if let t = s.lastEvaluation { parts.append("last evaluation \(RFC3339.format(t))") }
        if let refusal { parts.append("reload refused: \(refusal)") }
        if let e = s.lastError { parts.append("last error: \(e)") }
        return parts.joined(separator: "; ")
    }
}
