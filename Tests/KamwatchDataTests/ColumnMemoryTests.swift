import Foundation
import KamwatchVocabulary
import Testing

@testable import KamwatchData

/// Each test has a memory of its own (`ColumnMemory.shared` serves the reads of other tests).
@Suite("Column memory")
struct ColumnMemoryTests {
    private let mb = 1 << 20

    @Test("a buffer freed while input is announced is kept and handed out again")
    func reuse() {
        let memory = ColumnMemory(cap: 8 << 20)
        memory.expect(100)
        let (p, bytes) = memory.allocate(mb)
        #expect(bytes == mb)
        p.storeBytes(of: 0xABCD, as: Int.self)
        memory.free(p, bytes: bytes)
        #expect(memory.pooledBytes == mb)
        let (q, again) = memory.allocate(mb)
        #expect(q == p)
        #expect(again == mb)
        #expect(memory.pooledBytes == 0)
        memory.free(q, bytes: again)
        memory.decoded(100)
    }

    @Test("a kept block bigger than asked is split; the rest stays kept")
    func split() {
        let memory = ColumnMemory(cap: 8 << 20)
        memory.expect(100)
        let (p, bytes) = memory.allocate(4 * mb)
        memory.free(p, bytes: bytes)
        let (a, aBytes) = memory.allocate(mb)
        #expect(a == p)
        #expect(aBytes == mb)
        #expect(memory.pooledBytes == 3 * mb)
        let (b, bBytes) = memory.allocate(mb)
        #expect(b == p + mb)
        #expect(memory.pooledBytes == 2 * mb)
        // Both parts are usable on their own.
        a.initializeMemory(as: UInt8.self, repeating: 1, count: aBytes)
        b.initializeMemory(as: UInt8.self, repeating: 2, count: bBytes)
        #expect(a.load(fromByteOffset: aBytes - 1, as: UInt8.self) == 1)
        #expect(b.load(as: UInt8.self) == 2)
        memory.free(a, bytes: aBytes)
        memory.free(b, bytes: bBytes)
        memory.decoded(100)
        #expect(memory.pooledBytes == 0)
    }

    @Test("a request bigger than every kept block grows one of them")
    func grow() {
        let memory = ColumnMemory(cap: 8 << 20)
        memory.expect(100)
        let (p, bytes) = memory.allocate(mb)
        p.initializeMemory(as: UInt8.self, repeating: 7, count: bytes)
        memory.free(p, bytes: bytes)
        let (q, grown) = memory.allocate(3 * mb)
        #expect(grown == 3 * mb)
        #expect(memory.pooledBytes == 0)
        // The whole grown block is writable.
        q.storeBytes(of: 9, toByteOffset: grown - 1, as: UInt8.self)
        #expect(q.load(fromByteOffset: grown - 1, as: UInt8.self) == 9)
        memory.free(q, bytes: grown)
        memory.decoded(100)
    }

    @Test("the pool keeps no more than its cap")
    func cap() {
        let memory = ColumnMemory(cap: 2 << 20)
        memory.expect(100)
        let blocks = (0..<3).map { _ in memory.allocate(mb + mb / 2) }
        memory.free(blocks[0].0, bytes: blocks[0].1)
        #expect(memory.pooledBytes == mb + mb / 2)
        // Only the part that fits is kept.
        memory.free(blocks[1].0, bytes: blocks[1].1)
        #expect(memory.pooledBytes == 2 * mb)
        memory.free(blocks[2].0, bytes: blocks[2].1)
        #expect(memory.pooledBytes == 2 * mb)
        memory.decoded(100)
    }

    @Test("once no input is announced, the pool is given back and nothing more is kept")
    func releasedWhenNoMoreInput() {
        let memory = ColumnMemory(cap: 8 << 20)
        let first = InputAnnouncement(bytes: 300, memory: memory)
        let second = InputAnnouncement(bytes: 200, memory: memory)
        let (p, bytes) = memory.allocate(2 * mb)
        memory.free(p, bytes: bytes)
        #expect(memory.pooledBytes == 2 * mb)
        first.decoded(300)
        // The second reader still has input to decode.
        #expect(memory.pooledBytes == 2 * mb)
        second.decoded(150)
        #expect(memory.expectedBytes == 50)
        // Counting off more than was announced counts off only what was.
        second.decoded(1000)
        #expect(memory.expectedBytes == 0)
        #expect(memory.pooledBytes == 0)
        let (q, qBytes) = memory.allocate(mb)
        memory.free(q, bytes: qBytes)
        #expect(memory.pooledBytes == 0)
    }

    @Test("nothing is kept before any input is announced")
    func nothingKeptUnannounced() {
        let memory = ColumnMemory(cap: 8 << 20)
        let (p, bytes) = memory.allocate(mb)
        memory.free(p, bytes: bytes)
        #expect(memory.pooledBytes == 0)
    }

    @Test("a cancelled read's dropped jobs count off its input, which gives the pool back")
    func cancellationReleases() {
        let memory = ColumnMemory(cap: 8 << 20)
        let cancellation = ReadCancellation()
        do {
            let pool = JobPool(cancellation: cancellation)
            let input = InputAnnouncement(bytes: 10 * mb, memory: memory)
            for _ in 0..<10 {
                pool.add(priority: 0) { input.decoded(mb) }
            }
            let (p, bytes) = memory.allocate(mb)
            memory.free(p, bytes: bytes)
            #expect(memory.pooledBytes == mb)
            cancellation.cancel()
            pool.run(workers: 1)
            withExtendedLifetime(input) { #expect(memory.expectedBytes == 10 * mb) }
        }
        // The pool and its jobs are gone, and with them the announcement.
        #expect(memory.expectedBytes == 0)
        #expect(memory.pooledBytes == 0)
    }

    @Test("a buffer's values survive growing past malloc into a mapping and remapping it")
    func contentsAcrossGrowth() {
        let memory = ColumnMemory(cap: 8 << 20)
        memory.expect(100)
        // A kept block to start from, the size the buffer first needs a mapping of.
        let (p, bytes) = memory.allocate(ColumnMemory.bigBytes)
        memory.free(p, bytes: bytes)
        let buffer = RawBuffer<UInt64>(memory: memory)
        let n = 3_000_000  // 24 MB: from malloc, into the kept block, then remapped several times
        for i in 0..<n { buffer.append(UInt64(i) &* 2_654_435_761) }
        #expect(buffer.count == n)
        #expect(memory.pooledBytes == 0)
        var mismatches = 0
        for (i, v) in buffer.buffer.enumerated() where v != UInt64(i) &* 2_654_435_761 { mismatches += 1 }
        #expect(mismatches == 0)
        // Reset frees the mapping into the pool (up to the cap).
        buffer.reset()
        #expect(buffer.count == 0)
        #expect(memory.pooledBytes == 8 << 20)
        buffer.append(42)
        #expect(Array(buffer.buffer) == [42])
        memory.decoded(100)
        #expect(memory.pooledBytes == 0)
    }

    @Test("a buffer that takes another's mapping keeps its values; the other starts over empty")
    func take() {
        let memory = ColumnMemory(cap: 8 << 20)
        let a = RawBuffer<UInt32>(memory: memory)
        let b = RawBuffer<UInt32>(memory: memory)
        for i in 0..<200_000 { b.append(UInt32(i)) }
        a.take(from: b)
        #expect(a.count == 200_000)
        #expect(a.buffer[199_999] == 199_999)
        #expect(b.count == 0)
        b.append(5)
        #expect(Array(b.buffer) == [5])
    }

    @Test("a held pool keeps freed buffers up to its held cap, without input announced, until let go")
    func hold() {
        let memory = ColumnMemory(cap: 2 << 20, heldCap: 6 << 20)
        let (p, bytes) = memory.allocate(4 * mb)
        let (q, qBytes) = memory.allocate(4 * mb)
        let held = MemoryHold(memory: memory)
        memory.free(p, bytes: bytes)
        #expect(memory.pooledBytes == 4 * mb)
        // Past the held cap (not the plain one), only what fits is kept.
        memory.free(q, bytes: qBytes)
        #expect(memory.pooledBytes == 6 * mb)
        // Input announced and counted off meanwhile does not give the held pool back.
        memory.expect(10)
        memory.decoded(10)
        #expect(memory.pooledBytes == 6 * mb)
        held.letGo()
        #expect(memory.pooledBytes == 0)
        // Let go once: going away later changes nothing.
        held.letGo()
        let (r, rBytes) = memory.allocate(mb)
        memory.free(r, bytes: rBytes)
        #expect(memory.pooledBytes == 0)
    }

    @Test("a column is built on kept pages moved under it (their old bytes there until written over)")
    func recycle() {
        let memory = ColumnMemory(cap: 16 << 20)
        let hold = MemoryHold(memory: memory)
        // A freed chunk buffer full of a pattern.
        let (p, bytes) = memory.allocate(8 * mb)
        p.initializeMemory(as: UInt8.self, repeating: 0xEE, count: bytes)
        memory.free(p, bytes: bytes)
        #expect(memory.pooledBytes == 8 * mb)
        let n = 1_500_000  // 6 MB of UInt32: the kept block is split
        let column: [UInt32] = ColumnBuffer.array(count: n, memory: memory) { out in
            // The pages were moved before anything is written: the whole pages hold the old pattern.
            let raw = UnsafeRawPointer(out.baseAddress!)
            let page = ColumnMemory.pageSize
            let firstWhole = (page - Int(bitPattern: raw) % page) % page
            #expect(raw.load(fromByteOffset: firstWhole, as: UInt8.self) == 0xEE)
            for i in 0..<n { out[i] = UInt32(i) &* 7 }
        }
        // What is left of the block stays kept; the column reads back what was written.
        #expect(memory.pooledBytes > 0)
        #expect(memory.pooledBytes < 8 * mb)
        var wrong = 0
        for i in 0..<n where column[i] != UInt32(i) &* 7 { wrong += 1 }
        #expect(wrong == 0)
        hold.letGo()
        #expect(memory.pooledBytes == 0)
    }

    @Test("a column filled part by part gets each freed part's pages under the rest")
    func recyclePartByPart() {
        let memory = ColumnMemory(cap: 64 << 20)
        let hold = MemoryHold(memory: memory)
        let parts = (0..<4).map { k in
            let part = RawBuffer<UInt64>(memory: memory)
            for i in 0..<1_000_000 { part.append(UInt64(k * 1_000_000 + i)) }
            return part
        }
        #expect(memory.pooledBytes == 0)
        let merged = TableReader.concat(parts, total: 4_000_000, releasing: true)
        // Every part was freed into the pool, and all but the last moved under the rest.
        #expect(parts.allSatisfy { $0.count == 0 })
        #expect(merged.count == 4_000_000)
        var wrong = 0
        for (i, v) in merged.enumerated() where v != UInt64(i) { wrong += 1 }
        #expect(wrong == 0)
        #expect(memory.pooledBytes < 16 << 20)
        hold.letGo()
    }

    @Test("a big column of zeros reads as zeros throughout, its edges written")
    func zeros() {
        for count in [10, 70_000, 3_000_001] {
            // Memory just freed with other values in it, for the column to be given again.
            _ = [UInt32](repeating: 0xFFFF_FFFF, count: count).reduce(0, &+)
            let column: [UInt32] = ColumnBuffer.zeros(count: count)
            #expect(column.count == count)
            #expect(column.allSatisfy { $0 == 0 })
        }
    }
}
