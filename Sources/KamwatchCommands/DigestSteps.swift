import ArgumentParser

/// Which steps `kamwatch digest` takes: writing the day's digests, delivering the queued ones.
///
/// The shipped units split them (`--write-only` in the hardened kamwatch-digest.service,
/// `--deliver-only` in kamwatch-deliver.service), because the mail transport needs what the
/// hardened unit forbids.
public enum DigestSteps: String, Sendable, EnumerableFlag {
    /// Write, then deliver when `digest.deliver` is `sendmail`.
    case writeAndDeliver
    /// Write and queue the digests; send nothing.
    case writeOnly
    /// Send the queued digests; write nothing.
    case deliverOnly

    /// Every case has a name: a nameless case crashes the usage text that usage errors print.
    public static func name(for value: Self) -> NameSpecification { .long }

    public static func help(for value: Self) -> ArgumentHelp? {
        switch value {
        case .writeAndDeliver: return "Write, then deliver when digest.deliver is sendmail."
        case .writeOnly: return "Write and queue the digests, deliver nothing (the hardened digest unit)."
        case .deliverOnly: return "Deliver the queued digests, write nothing (kamwatch-deliver.service)."
        }
    }

    var writes: Bool { self != .deliverOnly }
    var delivers: Bool { self != .writeOnly }
}
