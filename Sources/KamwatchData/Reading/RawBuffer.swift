import CScan
import Foundation
import KamwatchVocabulary

/// A growable buffer of plain values that a chunk's columns are built in: appending a cell is
/// a store and a bounds check, without an array's uniqueness check. A big buffer is a mapping
/// from `ColumnMemory` (grown by a remap, not a copy, and kept for later chunks when freed);
/// a small one is `malloc`ed. Merging copies the buffers into the final columns.
final class RawBuffer<T: BitwiseCopyable>: @unchecked Sendable {
    // Unchecked Sendable: one job fills a buffer; others read it only after that job has finished.
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity: Int
    /// Where a big buffer's mapping comes from and goes back to.
    let memory: ColumnMemory

    init(capacity: Int = 256, memory: ColumnMemory = .shared) {
        self.memory = memory
        (base, self.capacity) = Self.allocate(max(capacity, 16), in: memory)
    }

    deinit { release() }

    /// The values appended so far.
    var buffer: UnsafeBufferPointer<T> { UnsafeBufferPointer(start: base, count: count) }

    /// Room for at least `capacity` values (from `memory` when big) and the room given.
    private static func allocate(_ capacity: Int, in memory: ColumnMemory) -> (UnsafeMutablePointer<T>, Int) {
        let bytes = capacity * MemoryLayout<T>.stride
        if bytes < ColumnMemory.bigBytes {
            return (malloc(bytes)!.assumingMemoryBound(to: T.self), capacity)
        }
        let (p, given) = memory.allocate(bytes)
        return (p.assumingMemoryBound(to: T.self), given / MemoryLayout<T>.stride)
    }

    private var isMapped: Bool { capacity * MemoryLayout<T>.stride >= ColumnMemory.bigBytes }

    private func release() {
        if isMapped {
            memory.free(UnsafeMutableRawPointer(base), bytes: capacity * MemoryLayout<T>.stride)
        } else {
            free(base)
        }
    }

    /// Makes room for `total` values in all.
    func reserve(_ total: Int) {
        if total > capacity { grow(to: total) }
    }

    // Out of line: the appends that call it are inlined in the row loops, which it only
    // lengthens (it runs a few dozen times per column).
    @inline(never)
    private func grow(to needed: Int) {
        let wanted = max(needed, capacity * 2)
        let stride = MemoryLayout<T>.stride
        if isMapped {
            let bytes = ColumnMemory.pages(wanted * stride)
            base = memory.resize(UnsafeMutableRawPointer(base), from: capacity * stride, to: bytes)
                .assumingMemoryBound(to: T.self)
            capacity = bytes / stride
        } else if wanted * stride < ColumnMemory.bigBytes {
            capacity = wanted
            base = realloc(base, capacity * stride)!.assumingMemoryBound(to: T.self)
        } else {
            let (grown, room) = Self.allocate(wanted, in: memory)
            grown.initialize(from: base, count: count)
            free(base)
            base = grown
            capacity = room
        }
    }

    /// Frees the values and starts over empty (a holder may still share this buffer).
    func reset() {
        release()
        count = 0
        (base, capacity) = Self.allocate(16, in: memory)
    }

    /// Takes the values of `other`, which is left empty; this buffer's own values are freed.
    func take(from other: RawBuffer<T>) {
        precondition(memory === other.memory, "buffers of different memories")
        release()
        base = other.base
        count = other.count
        capacity = other.capacity
        other.count = 0
        (other.base, other.capacity) = Self.allocate(16, in: other.memory)
    }

    @inline(__always)
    func append(_ value: T) {
        if count == capacity { grow(to: count + 1) }
        base[count] = value
        count &+= 1
    }

    @inline(__always)
    func append(_ values: UnsafePointer<T>, _ n: Int) {
        if count + n > capacity { grow(to: count + n) }
        (base + count).initialize(from: values, count: n)
        count += n
    }
}

extension RawBuffer where T == UInt8 {
    /// Appends the `n` bytes at `p`, which has 16 readable bytes after them (a reader's buffer
    /// or a decoder's scratch): a short cell is moved in one or two 16-byte steps, the buffer
    /// keeping 16 bytes of room past its count for them.
    @inline(__always)
    func appendPadded(_ p: UnsafePointer<UInt8>, _ n: Int) {
        if count &+ n &+ 16 > capacity { grow(to: count &+ n &+ 16) }
        kw_copy_padded(base + count, p, n)
        count &+= n
    }

    /// `appendPadded` with ASCII letters lower-cased; `false` (nothing appended) when a byte
    /// is not ASCII.
    @inline(__always)
    func appendLowercasedASCII(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if count &+ n &+ 16 > capacity { grow(to: count &+ n &+ 16) }
        guard kw_lower_ascii_padded(base + count, p, n) != 0 else { return false }
        count &+= n
        return true
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

    /// `append` of a cell with 16 readable bytes after it (a reader's buffer or a decoder's
    /// scratch), without a call to copy it.
    @inline(__always)
    func appendPadded(_ p: UnsafePointer<UInt8>, _ n: Int) {
        bytes.appendPadded(p, n)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    /// `appendLowercased` of a cell with 16 readable bytes after it.
    @inline(__always)
    func appendLowercasedPadded(_ p: UnsafePointer<UInt8>, _ n: Int) {
        if bytes.appendLowercasedASCII(p, n) {
            ends.append(UInt32(truncatingIfNeeded: bytes.count))
        } else {
            appendLowercased(p, n)
        }
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
