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
    /// The rows each shared scan passes for the current account (see `RowScan.shared`): a
    /// buffer per scan, its capacity, how many rows it holds, and the stamp that makes them valid.
    let rowBuffers: UnsafeMutablePointer<UnsafeMutablePointer<Int>>
    let rowCapacities: UnsafeMutablePointer<Int>
    let rowCounts: UnsafeMutablePointer<Int>
    let rowStamps: UnsafeMutablePointer<UInt32>
    let scanCount: Int

    init(slots: Int, rules: Int = 0, scans: Int = 0) {
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
        scanCount = scans
        rowBuffers = .allocate(capacity: max(1, scans))
        for s in 0..<scans { (rowBuffers + s).initialize(to: .allocate(capacity: 16)) }
        rowCapacities = .allocate(capacity: max(1, scans))
        rowCapacities.initialize(repeating: 16, count: max(1, scans))
        rowCounts = .allocate(capacity: max(1, scans))
        rowCounts.initialize(repeating: 0, count: max(1, scans))
        rowStamps = .allocate(capacity: max(1, scans))
        rowStamps.initialize(repeating: 0, count: max(1, scans))
    }

    deinit {
        for s in 0..<scanCount { rowBuffers[s].deallocate() }
        rowBuffers.deallocate()
        rowCapacities.deallocate()
        rowCounts.deallocate()
        rowStamps.deallocate()
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
            rowStamps.update(repeating: 0, count: max(1, scanCount))
            generation = 1
        }
    }

    /// Appends row `r` to shared scan `s`'s rows.
    @inline(__always)
    func keep(_ r: Int, scan s: Int) {
        let n = rowCounts[s]
        if n == rowCapacities[s] { grow(scan: s) }
        rowBuffers[s][n] = r
        rowCounts[s] = n + 1
    }

    private func grow(scan s: Int) {
        let old = rowBuffers[s]
        let n = rowCapacities[s]
        let new = UnsafeMutablePointer<Int>.allocate(capacity: n * 2)
        new.update(from: old, count: n)
        old.deallocate()
        rowBuffers[s] = new
        rowCapacities[s] = n * 2
    }

    /// Shared scan `s`'s rows for the current account.
    @inline(__always)
    func rows(scan s: Int) -> UnsafeBufferPointer<Int> {
        UnsafeBufferPointer(start: rowBuffers[s], count: rowCounts[s])
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
