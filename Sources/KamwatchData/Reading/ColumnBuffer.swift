import Glibc
import KamwatchVocabulary

/// Builds column arrays in place, without initialising them first.
enum ColumnBuffer {
    /// An array of `count` elements, all written by `fill`. A big one lies on pages kept from
    /// freed chunk buffers as far as `memory` has some (`ColumnMemory.recycle`), and asks for
    /// huge pages for the rest before it is written (fewer page faults; its memory is a mapping
    /// of its own, see `MemoryPolicy`).
    static func array<T: BitwiseCopyable>(
        count: Int, memory: ColumnMemory = .shared, _ fill: (UnsafeMutableBufferPointer<T>) -> Void
    ) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let bytes = count * MemoryLayout<T>.stride
            if bytes >= ColumnMemory.hugeBytes, let start = buffer.baseAddress {
                let p = UnsafeMutableRawPointer(start)
                let recycled = memory.recycle(into: p, bytes: bytes)
                if bytes - recycled >= ColumnMemory.hugeBytes {
                    adviseHugePages(p + recycled, bytes: bytes - recycled)
                }
            }
            fill(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            initialized = count
        }
    }

    /// Moves kept pages (`ColumnMemory.recycle`) under the elements of `buffer` from `from` on,
    /// which are not written yet: for a column filled part by part as the parts' buffers are freed.
    static func recycle<T: BitwiseCopyable>(
        _ buffer: UnsafeMutableBufferPointer<T>, from: Int, memory: ColumnMemory = .shared
    ) {
        let bytes = (buffer.count - from) * MemoryLayout<T>.stride
        guard buffer.count * MemoryLayout<T>.stride >= ColumnMemory.hugeBytes, bytes >= ColumnMemory.bigBytes,
            let start = buffer.baseAddress
        else { return }
        _ = memory.recycle(into: UnsafeMutableRawPointer(start + from), bytes: bytes)
    }

    /// An array of `count` zeros. A big one is not written: its whole pages are dropped
    /// (`MADV_DONTNEED`), so that they read as zeros and take memory only once written.
    static func zeros<T: BitwiseCopyable & FixedWidthInteger>(count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let bytes = count * MemoryLayout<T>.stride
            let all = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
            guard bytes >= ColumnMemory.bigBytes, let base = all.baseAddress else {
                all.initialize(repeating: 0)
                initialized = count
                return
            }
            let page = UInt(ColumnMemory.pageSize)
            let address = UInt(bitPattern: base)
            let start = (address + page - 1) & ~(page - 1)
            let end = (address + UInt(bytes)) & ~(page - 1)
            let stride = UInt(MemoryLayout<T>.stride)
            // The partial pages at either end are written; whole elements straddle no page
            // boundary (a page is a multiple of any integer's stride).
            let head = Int((start - address) / stride)
            let tail = Int((end - address) / stride)
            UnsafeMutableBufferPointer(rebasing: all[0..<head]).initialize(repeating: 0)
            UnsafeMutableBufferPointer(rebasing: all[tail..<count]).initialize(repeating: 0)
            if madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_DONTNEED) != 0 {
                UnsafeMutableBufferPointer(rebasing: all[head..<tail]).initialize(repeating: 0)
            }
            initialized = count
        }
    }

    /// `MADV_HUGEPAGE` for the whole pages within `bytes` bytes at `p`.
    static func adviseHugePages(_ p: UnsafeMutableRawPointer, bytes: Int) {
        let page = UInt(ColumnMemory.pageSize)
        let start = (UInt(bitPattern: p) + page - 1) & ~(page - 1)
        let end = (UInt(bitPattern: p) + UInt(bytes)) & ~(page - 1)
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_HUGEPAGE)
    }
}
