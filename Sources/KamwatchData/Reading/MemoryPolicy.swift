import KamwatchVocabulary

/// Big allocations are made with `mmap` so that freeing them (merged columns, a table's old
/// contents after a reload) returns the memory to the system. By default glibc raises this
/// threshold as large blocks are freed and then keeps up to 32 MB blocks on its heap, where a
/// reload's garbage stays resident. (Chunk buffers are `ColumnMemory`'s own mappings.)
enum MemoryPolicy {
    private static let applied: Bool = {
        #if os(Linux)
        _ = glibcMallopt(-3, 1 << 20)  // M_MMAP_THRESHOLD from <malloc.h>
        #endif
        return true
    }()

    static func apply() { _ = applied }
}

#if os(Linux)
/// `mallopt(3)`; `<malloc.h>` is not part of the Glibc module.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
