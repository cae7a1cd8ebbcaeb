import KamwatchVocabulary
import Testing

@testable import KamwatchData

@Suite("Finding duplicate ids")
struct DuplicateFinderTests {
    /// `ids` split into pieces of the given sizes, as chunks would hold them.
    func pieces(_ ids: [String], sizes: [Int]) -> [TextBuilder] {
        var out: [TextBuilder] = []
        var rest = ids[...]
        for size in sizes {
            let builder = TextBuilder()
            for id in rest.prefix(size) {
                Array(id.utf8).withUnsafeBufferPointer { builder.append($0.baseAddress!, $0.count) }
            }
            rest = rest.dropFirst(size)
            out.append(builder)
        }
        return out
    }

    func duplicates(_ ids: [String], sizes: [Int]) -> [[Int]] {
        let builders = pieces(ids, sizes: sizes)
        return withExtendedLifetime(builders) {
            DuplicateFinder.duplicates(in: TextSegments(builders)).map { [$0.row, $0.first] }
        }
    }

    func increasing(_ ids: [String], sizes: [Int]) -> Bool {
        let builders = pieces(ids, sizes: sizes)
        return withExtendedLifetime(builders) { DuplicateFinder.isStrictlyIncreasing(TextSegments(builders)) }
    }

    @Test("ids in increasing order have no duplicates, in one piece or many")
    func sorted() {
        let ids = (0..<500).map { "C\(String(1000 + $0))" } + ["C1500-a", "C1500-b", "D"]
        #expect(increasing(ids, sizes: [ids.count]))
        #expect(increasing(ids, sizes: [100, 0, 250, 153]))
        #expect(!increasing(ids.reversed(), sizes: [200, 303]))
        #expect(duplicates(ids, sizes: [100, 0, 250, 153]).isEmpty)
        // A prefix sorts first; equal neighbours are not increasing.
        #expect(DuplicateFinder.less(Array("AB".utf8), 2, Array("ABC".utf8), 3))
        #expect(!DuplicateFinder.less(Array("ABCDEFGHIJ".utf8), 10, Array("ABCDEFGHIJ".utf8), 10))
        #expect(DuplicateFinder.less(Array("ABCDEFGHIA".utf8), 10, Array("ABCDEFGHIB".utf8), 10))
    }

    @Test("repeats are found wherever they are, with their first row", arguments: [[9], [3, 3, 3], [1, 7, 1]])
    func repeats(sizes: [Int]) {
        // Sorted but for one repeat at a piece boundary, and one far back.
        let ids = ["A1", "A2", "A3", "A3", "A4", "A5", "A2", "A6", "A7"]
        #expect(duplicates(ids, sizes: sizes) == [[3, 2], [6, 1]])
    }

    @Test(
        "numbered ids, their numbers kept in 32 bits or read again above: the same repeats as hashing",
        arguments: [UInt64(0), 4_294_967_200, 999_999_999_999_000])
    func numberedRepeats(base: UInt64) {
        // Out of order across pieces (no merge), numbers near or past 2^32 from `base`.
        var seed: UInt64 = 11
        let ids = (0..<3_000).map { _ -> String in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return "O\(base + (seed >> 33) % 2_500)"
        }
        let builders = pieces(ids, sizes: [1_000, 0, 1_500, 500])
        withExtendedLifetime(builders) {
            let cells = TextSegments(builders)
            let numbered = DuplicateFinder.duplicatesNumbered(cells)
            #expect(numbered != nil)
            let hashed = DuplicateFinder.duplicatesHashing(cells)
            #expect(!hashed.isEmpty)
            #expect(numbered?.map { [$0.row, $0.first] } == hashed.map { [$0.row, $0.first] })
        }
    }

    @Test("pieces each sorted on their own are merged, with the same answer as hashing")
    func sortedPieces() {
        // Interleaved sorted pieces: long keys sharing 16 bytes, prefixes, a NUL byte, repeats
        // within reach of each other and across every piece.
        let long = "ORDER-0000000000-"
        let pool =
            (0..<60).map { "O\(String(1000 + $0 * 7))" } + (0..<20).map { long + String($0 % 7) + "x\($0)" }
            + ["AB", "AB\u{0}", "ABC", "", "O", "ORDER-0000000000", long]
        var ids: [String] = []
        var sizes: [Int] = []
        var seed: UInt64 = 7
        for _ in 0..<5 {
            var piece = Set<String>()
            for _ in 0..<40 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                piece.insert(pool[Int(seed >> 33) % pool.count])
            }
            let sorted = piece.sorted {
                DuplicateFinder.less(Array($0.utf8), $0.utf8.count, Array($1.utf8), $1.utf8.count)
            }
            ids += sorted
            sizes.append(sorted.count)
        }
        let builders = pieces(ids, sizes: sizes)
        withExtendedLifetime(builders) {
            let cells = TextSegments(builders)
            let merged = DuplicateFinder.duplicatesMerging(cells)?.map { [$0.row, $0.first] }
            let hashed = DuplicateFinder.duplicatesHashing(cells).map { [$0.row, $0.first] }
            #expect(merged == hashed)
            #expect((merged?.count ?? 0) > 20)
            #expect(DuplicateFinder.duplicates(in: cells).map { [$0.row, $0.first] } == hashed)
        }
        // A piece out of order, even at its end: no merge; hashing finds the same repeats.
        let unsorted = pieces(["A1", "A3", "A2", "A1", "A4", "A5", "A3"], sizes: [3, 4])
        withExtendedLifetime(unsorted) {
            #expect(DuplicateFinder.duplicatesMerging(TextSegments(unsorted)) == nil)
            #expect(
                DuplicateFinder.duplicates(in: TextSegments(unsorted)).map { [$0.row, $0.first] } == [[3, 0], [6, 1]])
        }
        let late = pieces(["A1", "A2", "A9", "A3", "A4", "A5", "A0"], sizes: [3, 4])
        withExtendedLifetime(late) { #expect(DuplicateFinder.duplicatesMerging(TextSegments(late)) == nil) }
    }
}
