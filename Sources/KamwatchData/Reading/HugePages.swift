#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back big column buffers with 2 MB pages: filling a 300 MB column then
/// costs a few hundred page faults instead of seventy thousand. Only advice; without
/// transparent huge pages nothing changes.
enum HugePages {
    static let size = 2 << 20

    /// Advises the reserved storage of `array` (which must hold at least one element).
    static func advise<T>(_ array: inout [T]) {
        let bytes = array.capacity * MemoryLayout<T>.stride
        guard bytes >= 2 * size, !array.isEmpty else { return }
        array.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { advise(base, bytes: bytes) }
        }
    }

    /// Advises the whole 2 MB pages inside `base ..< base + bytes`.
    static func advise(_ base: UnsafeMutableRawPointer, bytes: Int) {
        guard bytes >= 2 * size else { return }
        let start = (Int(bitPattern: base) + size - 1) & ~(size - 1)
        let end = (Int(bitPattern: base) + bytes) & ~(size - 1)
        guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
        #if os(Linux)
        _ = madvise(p, end - start, 14)  // MADV_HUGEPAGE
        #endif
    }

    /// An array of `count` elements filled by `fill`, its storage advised before it is touched.
    static func array<T: BitwiseCopyable>(count: Int, _ fill: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                advise(UnsafeMutableRawPointer(base), bytes: count * MemoryLayout<T>.stride)
            }
            fill(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            initialized = count
        }
    }
}
