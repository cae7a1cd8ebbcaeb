import Foundation
import KamwatchData
import KamwatchState
import KamwatchVocabulary

/// One run of `kamwatch digest`: plans, renders and writes the digests of a day, then records them.
public struct DigestJob: Sendable {
    public var options: DigestOptions
    public var ruleTexts: any RuleTextProvider
    public var renderer: DigestRenderer

    public init(options: DigestOptions, ruleTexts: any RuleTextProvider, renderer: DigestRenderer) {
        self.options = options
        self.ruleTexts = ruleTexts
        self.renderer = renderer
    }

    /// What happened to one lead's digest.
    public struct Entry: Sendable, Hashable {
        public enum Outcome: Sendable, Hashable {
            case written
            /// The digest of this day had already been written (recorded, or its file exists).
            case alreadyExists
        }

        public var lead: String
        public var path: String
        public var outcome: Outcome
        public var subject: String
    }

    /// The result of a run: one entry per digest, and lead values that were sent to the fallback.
    public struct Report: Sendable, Hashable {
        public var date: Day
        public var entries: [Entry]
        public var rejectedLeads: [String]
    }

    /// The file of `lead`'s digest for `date`.
    public func path(date: Day, lead: LeadAddress) -> URL {
        options.outbox.appendingPathComponent("digests").appendingPathComponent(date.description)
            .appendingPathComponent(lead.fileName)
    }

    /// The digests of `date` as they would be written (nothing is written or recorded).
    public func plan(date: Day, state: StateStore) throws -> DigestPlan {
        let transitions = try state.transitions(from: .distantPast, to: (date + 1).start(in: options.timeZone))
        let planner = DigestPlanner(
            fallback: options.fallback, timeZone: options.timeZone, language: options.language,
            ruleTexts: ruleTexts, allClear: options.allClear)
        let current = try state.openAlerts()
        let leads = options.allClear ? try state.knownLeads() : []
        var previous: [LeadAddress: DigestRecord] = [:]
        for lead in planner.recipients(of: transitions, current: current, leads: leads) {
            previous[lead] = try state.lastDigest(lead: lead.value)
        }
        return planner.plan(
            date: date, transitions: transitions, previous: previous, current: current, leads: leads)
    }

    /// Writes every digest of `date` that was not written before; `now` goes into the `Date:` header.
    public func run(date: Day, now: Date, state: StateStore) throws -> Report {
        let plan = try plan(date: date, state: state)
        var entries: [Entry] = []
        for input in plan.digests {
            guard let lead = LeadAddress(input.lead) else { continue }
            let url = path(date: date, lead: lead)
            let rendered = renderer.render(input)
            if try state.digestExists(date: date.description, lead: lead.value) {
                entries.append(
                    Entry(lead: lead.value, path: url.path, outcome: .alreadyExists, subject: rendered.subject))
                continue
            }
            let message = mail(for: input, rendered: rendered, now: now)
            let written: Bool
            do {
                written = try DurableFile.writeOnce(Array(message.rendered.utf8), to: url.path)
            } catch {
                throw DigestError.write(path: error.path, reason: "\(error.operation) failed: \(error.reason)")
            }
            // Recorded after the file is durable: a crash in between leaves a file whose
            // record the next run adds, never a record without its file.
            try state.recordDigest(
                date: date.description, lead: lead.value, uptoSeq: plan.uptoSeq,
                deliverFrom: options.queueDelivery ? url.path : nil)
            entries.append(
                Entry(
                    lead: lead.value, path: url.path, outcome: written ? .written : .alreadyExists,
                    subject: rendered.subject))
        }
        return Report(date: date, entries: entries, rejectedLeads: plan.rejectedLeads)
    }

    /// The e-mail of one digest.
    public func mail(for input: DigestInput, rendered: RenderedDigest, now: Date) -> MailMessage {
        MailMessage(
            from: options.from, to: input.lead, date: now, timeZone: options.timeZone,
            messageID: Self.messageID(date: input.date, lead: input.lead), subject: rendered.subject,
            text: rendered.text, html: rendered.html,
            extraHeaders: [("Auto-Submitted", "auto-generated"), ("X-Kamwatch-Digest", input.date.description)])
    }

    /// Stable for the same day and lead, so a re-sent file is recognised as the same message.
    public static func messageID(date: Day, lead: String) -> String {
        "digest.\(date).\(StableHash.hex(StableHash.fnv1a(lead.lowercased())))@kamwatch"
    }
}
