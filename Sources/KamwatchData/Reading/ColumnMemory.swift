import CScan
import Glibc
import KamwatchVocabulary
import Synchronization

/// Where the big buffers of chunk columns (`RawBuffer`) come from: mappings of their own,
/// grown with `mremap` (page table entries move, bytes are not copied), and a small pool of
/// freed ones kept for the chunks still to decode.
///
/// A mapping given back to the kernel comes back as fresh pages that the kernel zeroes one by
/// one on first touch; a chunk's buffers freed while other chunks are still to decode are
/// kept instead (up to `cap` bytes), split or grown to fit the next requests. Readers announce
/// the input bytes they will decode (`expect`) and count them off as they go (`decoded`):
/// once nothing more is announced, the pool is given back.
///
/// While a book is put together (`hold`), the chunks' buffers freed as their cells are copied
/// into the final columns are kept too (up to `heldCap` bytes), and their pages are moved under
/// the final columns still to be written (`recycle`) rather than fresh ones faulted in.
final class ColumnMemory: Sendable {
    /// The memory of every reader.
    static let shared = ColumnMemory(cap: 24 << 20, heldCap: 96 << 20)

    /// Buffers of at least this many bytes are mappings of their own (smaller ones use `malloc`).
    static let bigBytes = 256 << 10
    /// Mappings of at least this many bytes ask for huge pages (`MADV_HUGEPAGE`).
    static let hugeBytes = 4 << 20

    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    private struct Block {
        var address: UInt
        var bytes: Int
    }

    private struct State {
        var blocks: [Block] = []
        var pooled = 0
        /// Input bytes announced and not decoded yet.
        var expected = 0
        /// Holds taken (`hold`) and not let go yet.
        var holds = 0

        var keeps: Bool { expected > 0 || holds > 0 }
    }

    /// Bytes the pool keeps at most while only input is announced.
    let cap: Int
    /// Bytes the pool keeps at most while held.
    let heldCap: Int
    private let state = Mutex(State())

    init(cap: Int, heldCap: Int? = nil) {
        self.cap = cap
        self.heldCap = max(heldCap ?? cap, cap)
    }

    deinit {
        for block in state.withLock({ $0.blocks }) { Self.unmap(block) }
    }

    /// `bytes` rounded up to whole pages.
    static func pages(_ bytes: Int) -> Int {
        (bytes + pageSize - 1) & ~(pageSize - 1)
    }

    // MARK: Readers' announcements

    /// Announces `bytes` of input to decode: buffers freed from now on are kept for it.
    func expect(_ bytes: Int) {
        guard bytes > 0 else { return }
        state.withLock { $0.expected += bytes }
    }

    /// Counts off `bytes` of announced input (decoded, or no longer to be); when none is left,
    /// the pool is given back.
    func decoded(_ bytes: Int) {
        guard bytes > 0 else { return }
        let released: [Block] = state.withLock { s in
            s.expected = max(s.expected - bytes, 0)
            return Self.emptied(&s)
        }
        for block in released { Self.unmap(block) }
    }

    /// Keeps buffers freed from now on (up to `heldCap` bytes) until `letGo`, whether input is
    /// announced or not.
    func hold() {
        state.withLock { $0.holds += 1 }
    }

    /// Lets go of a `hold`; when nothing holds the pool and no input is announced, it is given back.
    func letGo() {
        let released: [Block] = state.withLock { s in
            precondition(s.holds > 0, "a hold let go twice")
            s.holds -= 1
            return Self.emptied(&s)
        }
        for block in released { Self.unmap(block) }
    }

    /// The pool's blocks, taken out of it, when it no longer keeps any.
    private static func emptied(_ s: inout State) -> [Block] {
        guard !s.keeps else { return [] }
        defer {
            s.blocks = []
            s.pooled = 0
        }
        return s.blocks
    }

    /// Takes block `i` out of the pool: its first `wanted` bytes when the rest (at least
    /// `restAtLeast` bytes) can stay pooled, else the whole block (smaller than `wanted` when
    /// it is to be grown).
    private static func take(_ i: Int, bytes wanted: Int, restAtLeast: Int, from s: inout State) -> Block {
        var block = s.blocks[i]
        if block.bytes - wanted >= restAtLeast {
            s.blocks[i] = Block(address: block.address + UInt(wanted), bytes: block.bytes - wanted)
            block.bytes = wanted
        } else {
            s.blocks.remove(at: i)
        }
        s.pooled -= block.bytes
        return block
    }

    /// Bytes kept in the pool.
    var pooledBytes: Int { state.withLock { $0.pooled } }

    /// Input bytes announced and not counted off yet.
    var expectedBytes: Int { state.withLock { $0.expected } }

    // MARK: Buffers

    /// A mapping of at least `bytes` bytes (`bigBytes` or more) and its size, which may be
    /// bigger (a whole kept block): from the pool when it holds one, else fresh.
    func allocate(_ bytes: Int) -> (UnsafeMutableRawPointer, Int) {
        let wanted = Self.pages(bytes)
        let taken: Block? = state.withLock { s in
            guard !s.blocks.isEmpty else { return nil }
            // The smallest block that fits, else the biggest one (to be grown).
            var best = -1
            var biggest = 0
            for (i, b) in s.blocks.enumerated() {
                if b.bytes >= wanted && (best < 0 || b.bytes < s.blocks[best].bytes) { best = i }
                if b.bytes > s.blocks[biggest].bytes { biggest = i }
            }
            return Self.take(best >= 0 ? best : biggest, bytes: wanted, restAtLeast: Self.bigBytes, from: &s)
        }
        if let taken {
            let p = UnsafeMutableRawPointer(bitPattern: taken.address)!
            if taken.bytes >= wanted { return (p, taken.bytes) }
            return (resize(p, from: taken.bytes, to: wanted), wanted)
        }
        let p = mmap(nil, wanted, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != MAP_FAILED else { fatalError("out of memory (\(wanted) bytes)") }
        if wanted >= Self.hugeBytes { _ = madvise(p, wanted, MADV_HUGEPAGE) }
        return (p, wanted)
    }

    /// The mapping at `p` (`old` bytes, from `allocate`) grown or shrunk to `bytes` (whole
    /// pages), its contents kept; it may move.
    func resize(_ p: UnsafeMutableRawPointer, from old: Int, to bytes: Int) -> UnsafeMutableRawPointer {
        let wanted = Self.pages(bytes)
        guard wanted != old else { return p }
        guard let q = kw_mremap(p, old, wanted) else { fatalError("out of memory (\(wanted) bytes)") }
        if wanted >= Self.hugeBytes && old < Self.hugeBytes { _ = madvise(q, wanted, MADV_HUGEPAGE) }
        return q
    }

    /// Frees a mapping from `allocate` (`bytes` its size): kept while input is announced or the
    /// pool is held, and it has room (what does not fit is given back), else given back.
    func free(_ p: UnsafeMutableRawPointer, bytes: Int) {
        let address = UInt(bitPattern: p)
        let kept: Int = state.withLock { s in
            guard s.keeps else { return 0 }
            let room = ((s.holds > 0 ? heldCap : cap) - s.pooled) & ~(Self.pageSize - 1)
            let keep = min(room, bytes)
            guard keep >= Self.bigBytes else { return 0 }
            s.blocks.append(Block(address: address, bytes: keep))
            s.pooled += keep
            return keep
        }
        if kept < bytes { Self.unmap(Block(address: address + UInt(kept), bytes: bytes - kept)) }
    }

    /// Moves kept pages under the whole pages of `bytes` bytes at `p`, from the first one on,
    /// replacing the pages mapped there; returns the offset from `p` where the moved pages end
    /// (0: none moved). The range must be memory of the caller's own, not written yet (a kept
    /// page holds whatever its buffer held): a column about to be filled.
    func recycle(into p: UnsafeMutableRawPointer, bytes: Int) -> Int {
        let page = UInt(Self.pageSize)
        let start = (UInt(bitPattern: p) + page - 1) & ~(page - 1)
        let end = (UInt(bitPattern: p) + UInt(bytes)) & ~(page - 1)
        guard end > start else { return 0 }
        var at = start
        while at < end {
            let wanted = Int(end - at)
            // The biggest block first: fewer moves.
            let taken: Block? = state.withLock { s in
                guard let i = s.blocks.indices.max(by: { s.blocks[$0].bytes < s.blocks[$1].bytes }) else {
                    return nil
                }
                return Self.take(i, bytes: wanted, restAtLeast: 1, from: &s)
            }
            guard let taken else { break }
            let from = UnsafeMutableRawPointer(bitPattern: taken.address)
            guard kw_mremap_to(from, taken.bytes, UnsafeMutableRawPointer(bitPattern: at)) != 0 else {
                Self.unmap(taken)
                break
            }
            at += UInt(taken.bytes)
        }
        return at == start ? 0 : Int(at - UInt(bitPattern: p))
    }

    private static func unmap(_ block: Block) {
        _ = munmap(UnsafeMutableRawPointer(bitPattern: block.address), block.bytes)
    }
}

/// One reader's announced input, counted off chunk by chunk; what is left when it goes (a
/// cancelled read drops its chunks) is counted off then.
final class InputAnnouncement: Sendable {
    private let memory: ColumnMemory
    private let left: Mutex<Int>

    init(bytes: Int, memory: ColumnMemory = .shared) {
        self.memory = memory
        left = Mutex(bytes)
        memory.expect(bytes)
    }

    /// `bytes` of the announced input decoded.
    func decoded(_ bytes: Int) {
        let counted = left.withLock { left in
            let n = min(bytes, left)
            left -= n
            return n
        }
        memory.decoded(counted)
    }

    deinit { memory.decoded(left.withLock { $0 }) }
}

/// A `hold` on a memory, let go once: by `letGo`, or when it goes.
final class MemoryHold: Sendable {
    private let memory: ColumnMemory
    private let held = Mutex(true)

    init(memory: ColumnMemory = .shared) {
        self.memory = memory
        memory.hold()
    }

    func letGo() {
        let wasHeld = held.withLock { held in
            defer { held = false }
            return held
        }
        if wasHeld { memory.letGo() }
    }

    deinit { letGo() }
}
