import Glibc
import KamwatchVocabulary

/// Builds column arrays in place, without initialising them first.
enum ColumnBuffer {
    /// An array of `count` elements, all written by `fill`. A big one asks for huge pages
    /// before it is written (fewer page faults; its memory is a mapping of its own, see
    /// `MemoryPolicy`).
    static func array<T: BitwiseCopyable>(count: Int, _ fill: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count * MemoryLayout<T>.stride >= ColumnMemory.hugeBytes, let start = buffer.baseAddress {
                adviseHugePages(UnsafeMutableRawPointer(start), bytes: count * MemoryLayout<T>.stride)
            }
            fill(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
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
