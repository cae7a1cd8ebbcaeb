import KamwatchVocabulary

/// Builds column arrays in place, without initialising them first.
enum ColumnBuffer {
    /// An array of `count` elements, all written by `fill`.
    static func array<T: BitwiseCopyable>(count: Int, _ fill: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            initialized = count
        }
    }
}
