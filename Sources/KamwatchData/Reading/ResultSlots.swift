import KamwatchVocabulary

/// Fixed slots written by concurrent workers, each slot by exactly one of them.
final class ResultSlots<T>: @unchecked Sendable {
    // Unchecked Sendable: each slot is written and taken by one worker only, and read after the workers are done.
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func set(_ i: Int, _ value: T) { slots[i] = value }
    func take(_ i: Int) -> T? {
        let v = slots[i]
        slots[i] = nil
        return v
    }
}

/// Hands each worker its own element of an array to consume.
final class Box<T>: @unchecked Sendable {
    // Unchecked Sendable: worker `i` alone takes element `i` (see `ResultSlots`).
    private let slots: ResultSlots<T>
    init(_ values: [T]) {
        slots = ResultSlots(count: values.count)
        for (i, v) in values.enumerated() { slots.set(i, v) }
    }
    func take(_ i: Int) -> T { slots.take(i)! }
}
