import Foundation
import KamwatchVocabulary

/// A growable buffer of plain values that a chunk's columns are built in: appending a cell is
/// a store and a bounds check, without an array's uniqueness check, and growing a big buffer
/// is a `realloc` (a remap, not a copy). Merging copies the buffers into the final columns.
final class RawBuffer<T: BitwiseCopyable>: @unchecked Sendable {
    // Unchecked Sendable: one job fills a buffer; others read it only after that job has finished.
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = malloc(self.capacity * MemoryLayout<T>.stride)!.assumingMemoryBound(to: T.self)
    }

    deinit { free(base) }

    /// The values appended so far.
    var buffer: UnsafeBufferPointer<T> { UnsafeBufferPointer(start: base, count: count) }

    /// Makes room for `total` values in all.
    func reserve(_ total: Int) {
        if total > capacity { grow(to: total) }
    }

    private func grow(to needed: Int) {
        capacity = max(needed, capacity * 2)
        base = realloc(base, capacity * MemoryLayout<T>.stride)!.assumingMemoryBound(to: T.self)
    }

    /// Frees the values and starts over empty (a holder may still share this buffer).
    func reset() {
        free(base)
        capacity = 16
        count = 0
        base = malloc(capacity * MemoryLayout<T>.stride)!.assumingMemoryBound(to: T.self)
    }

    /// Takes the values of `other`, which is left empty; this buffer's own values are freed.
    func take(from other: RawBuffer<T>) {
        free(base)
        base = other.base
        count = other.count
        capacity = other.capacity
        other.capacity = 16
        other.count = 0
        other.base = malloc(16 * MemoryLayout<T>.stride)!.assumingMemoryBound(to: T.self)
    }

    @inline(__always)
    func append(_ value: T) {
        if count == capacity { grow(to: count + 1) }
        base[count] = value
        count += 1
    }

    @inline(__always)
    func append(_ values: UnsafePointer<T>, _ n: Int) {
        if count + n > capacity { grow(to: count + n) }
        (base + count).initialize(from: values, count: n)
        count += n
    }
}

/// A text column under construction: bytes and row ends, as in `TextColumn`.
final class TextBuilder: @unchecked Sendable {
    // Unchecked Sendable: like `RawBuffer`, filled by one job and read only after it has finished.
    let bytes = RawBuffer<UInt8>(capacity: 4096)
    let ends = RawBuffer<UInt32>()
    /// A column whose cells are not stored (every one absent): only counted, no row ends kept.
    /// Set before the first cell.
    var discards = false
    private var discarded = 0

    var count: Int { discards ? discarded : ends.count }

    @inline(__always)
    func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        bytes.append(p, n)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    /// Frees the cells and starts over empty.
    func reset() {
        bytes.reset()
        ends.reset()
    }

    /// Takes the cells of `other` in place of its own (freed); `other` is left empty.
    func replace(with other: TextBuilder) {
        bytes.take(from: other.bytes)
        ends.take(from: other.ends)
    }

    @inline(__always)
    func appendAbsent() {
        if discards {
            discarded += 1
        } else {
            ends.append(UInt32(truncatingIfNeeded: bytes.count))
        }
    }

    /// Appends a keyword cell lower-cased.
    func appendLowercased(_ p: UnsafePointer<UInt8>, _ n: Int) {
        let cell = UnsafeBufferPointer(start: p, count: n)
        if cell.contains(where: { $0 >= 0x80 }) {
            var lowered = String(decoding: cell, as: UTF8.self).lowercased()
            lowered.withUTF8 { bytes.append($0.baseAddress!, $0.count) }
        } else {
            for c in cell { bytes.append(c >= 0x41 && c <= 0x5A ? c + 32 : c) }
        }
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }
}
