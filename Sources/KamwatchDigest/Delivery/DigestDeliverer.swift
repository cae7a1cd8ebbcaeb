import Foundation
import KamwatchState

/// Hands the queued digests to the mail transport, each until it is accepted once.
///
/// A digest counts as delivered when the command exits 0, and that is recorded right away; a
/// failure is recorded with its reason and the digest stays queued for the next run. A crash
/// between the command's exit and the record sends that one digest again at the next run: its
/// `Message-ID` is the same, so mail systems and readers see a duplicate, not a second digest.
public struct DigestDeliverer: Sendable {
    public var command: MailCommand

    public init(command: MailCommand) {
        self.command = command
    }

    /// What happened to one queued digest.
    public struct Entry: Sendable, Hashable {
        public enum Outcome: Sendable, Hashable {
            case delivered
            /// Still queued; retried at the next run.
            case failed(reason: String)
        }

        public var date: String
        public var lead: String
        public var path: String
        public var outcome: Outcome
        /// Attempts so far, this one included.
        public var attempts: Int
    }

    /// Sends every queued digest once, oldest first; `now` is recorded as the delivery time.
    public func run(state: StateStore, now: @Sendable () -> Date = { Date() }) throws -> [Entry] {
        var entries: [Entry] = []
        for pending in try state.pendingDeliveries() {
            let outcome: Entry.Outcome
            do {
                try command.send(file: pending.path)
                try state.recordDelivered(date: pending.date, lead: pending.lead, at: now())
                outcome = .delivered
            } catch let failure as MailCommand.Failure {
                try state.recordDeliveryFailure(date: pending.date, lead: pending.lead, reason: failure.reason)
                outcome = .failed(reason: failure.reason)
            }
            entries.append(
                Entry(
                    date: pending.date, lead: pending.lead, path: pending.path, outcome: outcome,
                    attempts: pending.attempts + 1))
        }
        return entries
    }
}
