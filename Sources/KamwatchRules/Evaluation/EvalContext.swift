import KamwatchVocabulary

/// Per-worker scratch state of one evaluation: the account being evaluated and memo slots.
///
/// Memo slots hold definitions and aggregates computed for the current account; a slot is
/// valid when its stamp equals `generation`, which is bumped once per account.
final class EvalContext {
    var account = 0
    var generation: UInt32 = 1
    let numbers: UnsafeMutablePointer<Double>
    let days: UnsafeMutablePointer<Int32>
    let bools: UnsafeMutablePointer<Bool>
    let texts: UnsafeMutablePointer<String?>
    let stamps: UnsafeMutablePointer<UInt32>
    let slotCount: Int
    /// Each rule's outcome for the current account: 0 = nothing, 1 = warning, 2 = critical.
    let outcome: UnsafeMutablePointer<UInt8>
    let ruleCount: Int

    init(slots: Int, rules: Int = 0) {
        ruleCount = max(1, rules)
        outcome = .allocate(capacity: ruleCount)
        outcome.initialize(repeating: 0, count: ruleCount)
        slotCount = max(1, slots)
        numbers = .allocate(capacity: slotCount)
        numbers.initialize(repeating: .nan, count: slotCount)
        days = .allocate(capacity: slotCount)
        days.initialize(repeating: 0, count: slotCount)
        bools = .allocate(capacity: slotCount)
        bools.initialize(repeating: false, count: slotCount)
        texts = .allocate(capacity: slotCount)
        texts.initialize(repeating: nil, count: slotCount)
        stamps = .allocate(capacity: slotCount)
        stamps.initialize(repeating: 0, count: slotCount)
    }

    deinit {
        outcome.deallocate()
        numbers.deallocate()
        days.deallocate()
        bools.deallocate()
        texts.deinitialize(count: slotCount)
        texts.deallocate()
        stamps.deallocate()
    }

    /// Moves to `account`, invalidating every memo slot.
    @inline(__always)
    func begin(account: Int) {
        self.account = account
        generation &+= 1
        if generation == 0 {
            stamps.update(repeating: 0, count: slotCount)
            generation = 1
        }
    }
}

typealias NumberFn = @Sendable (EvalContext, Int) -> Double
typealias DayFn = @Sendable (EvalContext, Int) -> Int32
typealias BoolFn = @Sendable (EvalContext, Int) -> Bool
typealias TextFn = @Sendable (EvalContext, Int) -> String?
typealias ValueFn = @Sendable (EvalContext, Int) -> RuleValue

/// The absent day (a null date).
let absentDay = Int32.min

/// A bound expression of any type (kept typed: casting closures through `Any` would add
/// a reabstraction thunk to every call).
enum BoundFn: Sendable {
    case number(NumberFn)
    case day(DayFn)
    case bool(BoolFn)
    case text(TextFn)

    var number: NumberFn {
        if case .number(let f) = self { return f }
        preconditionFailure("bound expression is not a number")
    }

    var day: DayFn {
        if case .day(let f) = self { return f }
        preconditionFailure("bound expression is not a date")
    }

    var bool: BoolFn {
        if case .bool(let f) = self { return f }
        preconditionFailure("bound expression is not a condition")
    }

    var text: TextFn {
        if case .text(let f) = self { return f }
        preconditionFailure("bound expression is not a text")
    }
}
