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
}
