import KamwatchVocabulary
import Testing

@testable import KamwatchData

@Suite("Ids read as numbers")
struct IDShapeTests {
    func shape(_ id: String) -> IDShape? {
        Array(id.utf8).withUnsafeBufferPointer { IDShape.of($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
    }

    func key(_ shape: IDShape, _ id: String) -> Int {
        Array(id.utf8).withUnsafeBufferPointer { shape.key($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
    }

    @Test("a shape is exact: a width with leading zeros, no leading zero without one")
    func exact() throws {
        let fixed = try #require(shape("A0001234"))
        #expect(fixed.width == 7 && fixed.prefixLength == 1)
        #expect(key(fixed, "A0001234") == 1234)
        #expect(key(fixed, "A9999999") == 9_999_999)
        #expect(key(fixed, "A001234") == -1)
        #expect(key(fixed, "A00001234") == -1)
        #expect(key(fixed, "B0001234") == -1)
        #expect(key(fixed, "A000123x") == -1)
        #expect(key(fixed, "") == -1)
        // `A01` and `A001` are different ids: never one shape.
        #expect(shape("A01") != shape("A001"))
        let plain = try #require(shape("1234"))
        #expect(plain.width == 0 && plain.prefixLength == 0)
        #expect(key(plain, "0") == 0)
        #expect(key(plain, "01") == -1)
        #expect(key(plain, "7") == 7)
        #expect(key(plain, "999999999999999999") == 999_999_999_999_999_999)
        #expect(key(plain, "1000000000000000000") == -1)
        #expect(key(plain, "-1") == -1)
        #expect(key(plain, "1 ") == -1)
        let long = try #require(shape("DEAL-ID-42"))
        #expect(long.prefixLength == 8)
        #expect(key(long, "DEAL-ID-0") == 0)
        #expect(key(long, "DEAL-ID-042") == -1)
        #expect(key(long, "DEAL-IE-42") == -1)
        #expect(key(long, "DEAL-ID") == -1)
        #expect(shape("DEAL-IDS-42") == nil)
        #expect(shape("0015g00000ABCDEfAAZ") == nil)  // Salesforce: letters at the end
        #expect(shape("1234567890123456789") == nil)
        #expect(shape("") == nil)
        #expect(shape("ABC") == nil)
    }

    @Test("a number is read the same eight digits at a time as one by one")
    func digits() {
        var rng = SplitMix(seed: 8)
        // Digits and the bytes next to them ('/', ':' … '?'), so that every check is tried.
        let bytes = Array("0123456789/:;<=>?".utf8) + [0x00, 0x80, 0xB0, 0xF9]
        for _ in 0..<20000 {
            let prefix = Bool.random(using: &rng) ? "" : "A"
            let count = Int.random(in: 1...19, using: &rng)
            var digits = (0..<count).map { _ in bytes[Int.random(in: 0..<10, using: &rng)] }
            if Int.random(in: 0..<3, using: &rng) == 0 {
                digits[Int.random(in: 0..<count, using: &rng)] = bytes.randomElement(using: &rng)!
            }
            let id = Array(prefix.utf8) + digits
            let text = String(decoding: digits, as: UTF8.self)
            let fixed = IDShape(prefix: prefix == "A" ? 0x41 : 0, prefixLength: prefix.count, width: count)
            let plain = IDShape(prefix: prefix == "A" ? 0x41 : 0, prefixLength: prefix.count, width: 0)
            let allDigits = digits.allSatisfy { $0 >= 48 && $0 <= 57 }
            let value = allDigits && count <= 18 ? Int(text)! : -1
            id.withUnsafeBufferPointer { b in
                // A fixed width is at most 18 digits (`IDShape.of`).
                if count <= 18 { #expect(fixed.key(b.baseAddress!, b.count) == value, "\(text)") }
                let canonical = value >= 0 && (count == 1 || digits[0] != 48)
                #expect(plain.key(b.baseAddress!, b.count) == (canonical ? value : -1), "\(text)")
            }
        }
    }

    @Test("fewer than eight digits after a prefix are read from the id's last word, as one by one")
    func shortNumbers() {
        var rng = SplitMix(seed: 21)
        let bytes = Array("0123456789/:".utf8) + [0x00, 0x80, 0xB0]
        for _ in 0..<20000 {
            let prefixLength = Int.random(in: 1...8, using: &rng)
            let prefixBytes = (0..<prefixLength).map { _ in UInt8.random(in: 0x41...0x5A, using: &rng) }
            var prefix: UInt64 = 0
            for (i, b) in prefixBytes.enumerated() { prefix |= UInt64(b) << (8 * UInt64(i)) }
            let count = Int.random(in: 1...9, using: &rng)
            var digits = (0..<count).map { _ in bytes[Int.random(in: 0..<10, using: &rng)] }
            if Int.random(in: 0..<3, using: &rng) == 0 {
                digits[Int.random(in: 0..<count, using: &rng)] = bytes.randomElement(using: &rng)!
            }
            var id = prefixBytes + digits
            // Now and then another prefix: no key.
            let otherPrefix = Int.random(in: 0..<6, using: &rng) == 0
            if otherPrefix { id[Int.random(in: 0..<prefixLength, using: &rng)] = UInt8(ascii: "a") }
            let text = String(decoding: digits, as: UTF8.self)
            let allDigits = digits.allSatisfy { $0 >= 48 && $0 <= 57 }
            let value = allDigits && !otherPrefix ? Int(text)! : -1
            let fixed = IDShape(prefix: prefix, prefixLength: prefixLength, width: count)
            let plain = IDShape(prefix: prefix, prefixLength: prefixLength, width: 0)
            id.withUnsafeBufferPointer { b in
                #expect(fixed.key(b.baseAddress!, b.count) == value, "\(text)")
                let canonical = value >= 0 && (count == 1 || digits[0] != 48)
                #expect(plain.key(b.baseAddress!, b.count) == (canonical ? value : -1), "\(text)")
            }
        }
    }

    /// A random table of ids in one of several styles, most with repeats; some fit one shape,
    /// some mix shapes, some span too many numbers for a bitmap.
    func randomIDs(_ rng: inout some RandomNumberGenerator) -> [String] {
        let count = [0, 1, 2, 3, 17, 200, 1500].randomElement(using: &rng)!
        let style = Int.random(in: 0..<7, using: &rng)
        let prefix = ["", "A", "C", "ORD-", "x.y_12-"].randomElement(using: &rng)!
        let width = Int.random(in: 1...18, using: &rng)
        let spread = [1, 2, 10, 1000, Int(1e17)].randomElement(using: &rng)!
        let base = [0, 5, 999_999_999_999_000_000].randomElement(using: &rng)!
        func padded(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        let top = 999_999_999_999_999_999
        // Numbers from `base`, over about `spread` per row (clamped below 10^18).
        let reach = min(spread, top / max(count, 1)) * max(count, 1) / 4
        func number() -> Int { min(base + Int.random(in: 0...reach, using: &rng), top) }
        var ids: [String] = []
        for _ in 0..<count {
            let v = number()
            let id: String
            switch style {
            case 0: id = prefix + padded(v % 1_000_000, 7)  // fixed width
            case 1: id = prefix + String(v)  // plain numbers
            case 2: id = prefix + padded(v % 1000, width)  // fixed width, sometimes too narrow
            case 3:
                // Mixed widths and leading zeros: A01 against A001.
                id = prefix + padded(v % 100, Int.random(in: 1...4, using: &rng))
            case 4:
                // Mostly one shape, now and then another prefix, an empty id, a long number.
                switch Int.random(in: 0..<40, using: &rng) {
                case 0: id = "B" + padded(v % 1_000_000, 7)
                case 1: id = ""
                case 2: id = prefix + "1234567890123456789"
                case 3: id = prefix + padded(v % 1_000_000, 8)
                default: id = prefix + padded(v % 1_000_000, 7)
                }
            case 5: id = prefix + String(Int.random(in: 0...9, using: &rng))  // all nearly the same
            default:
                // Keys at the ends of the range: 0 and 10^18 - 1.
                id = prefix + (Bool.random(using: &rng) ? "999999999999999999" : String(v % 3))
            }
            ids.append(id)
        }
        // Sometimes sorted (as exports by id are), sometimes repeated wholesale.
        if Int.random(in: 0..<4, using: &rng) == 0 { ids.sort() }
        if Int.random(in: 0..<6, using: &rng) == 0 { ids += ids.prefix(count / 3) }
        return ids
    }

    /// `ids` cut into 1 to 5 pieces at random.
    func randomSizes(_ count: Int, _ rng: inout some RandomNumberGenerator) -> [Int] {
        var sizes: [Int] = []
        var left = count
        for _ in 0..<Int.random(in: 0..<4, using: &rng) {
            let s = Int.random(in: 0...left, using: &rng)
            sizes.append(s)
            left -= s
        }
        sizes.append(left)
        return sizes
    }

    /// Rows whose id an earlier row holds, with that earlier row: the plain way.
    func reference(_ ids: [String]) -> [[Int]] {
        var first: [String: Int] = [:]
        var out: [[Int]] = []
        for (row, id) in ids.enumerated() {
            if let f = first[id] { out.append([row, f]) } else { first[id] = row }
        }
        return out
    }

    @Test("repeats found by number are the repeats of the text, with the same first rows")
    func randomRepeats() {
        var rng = SplitMix(seed: 20_261_202)
        var numbered = 0
        var withRepeats = 0
        let finder = DuplicateFinderTests()
        for _ in 0..<1500 {
            let ids = randomIDs(&rng)
            let sizes = randomSizes(ids.count, &rng)
            let builders = finder.pieces(ids, sizes: sizes)
            withExtendedLifetime(builders) {
                let cells = TextSegments(builders)
                let expected = reference(ids)
                if let found = DuplicateFinder.duplicatesNumbered(cells) {
                    numbered += 1
                    if !expected.isEmpty { withRepeats += 1 }
                    #expect(found.map { [$0.row, $0.first] } == expected, "\(ids.prefix(20)) \(sizes)")
                }
                #expect(DuplicateFinder.duplicates(in: cells).map { [$0.row, $0.first] } == expected)
                #expect(DuplicateFinder.duplicatesHashing(cells).map { [$0.row, $0.first] } == expected)
            }
        }
        // The numbered path was really taken, with and without repeats.
        #expect(numbered > 300)
        #expect(withRepeats > 100)
    }

    func column(_ ids: [String]) -> TextColumn {
        var column = TextColumn()
        for id in ids { column.append(Array(id.utf8)) }
        return column
    }

    @Test("accounts looked up by number are those looked up by text")
    func randomLookups() {
        var rng = SplitMix(seed: 42)
        var numbered = 0
        for _ in 0..<600 {
            // Account ids are unique (repeats are dropped while reading).
            var unique = Set<String>()
            let ids = randomIDs(&rng).filter { unique.insert($0).inserted }
            let index = AccountIndex(ids: column(ids))
            var first: [String: Int32] = [:]
            for (row, id) in ids.enumerated() where first[id] == nil { first[id] = Int32(row) }
            // Queries: the ids themselves, other random ids, near misses.
            var queries = ids + randomIDs(&rng)
            for id in ids.prefix(50) {
                queries += [id + "0", "0" + id, String(id.dropFirst()), String(id.dropLast()), id + " "]
            }
            queries.shuffle(using: &rng)
            index.withLookup { lookup in
                if lookup.numbered { numbered += 1 }
                for q in queries {
                    let found = Array(q.utf8).withUnsafeBufferPointer {
                        lookup.find($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count)
                    }
                    #expect(found == first[q] ?? -1, "\(q) in \(ids.prefix(10))")
                }
                // Grouper's lookups, piece by piece, give the same answers.
                let sizes = randomSizes(queries.count, &rng)
                let builders = DuplicateFinderTests().pieces(queries, sizes: sizes)
                withExtendedLifetime(builders) {
                    let cells = TextSegments(builders)
                    var groups = [Int32](repeating: -7, count: queries.count)
                    groups.withUnsafeMutableBufferPointer { out in
                        for p in 0..<cells.pieceCount {
                            Grouper.lookUp(cells, piece: p, lookup, into: out.baseAddress!)
                        }
                    }
                    let expected = queries.map { first[$0] ?? -1 }
                    let wrong = queries.indices.filter { groups[$0] != expected[$0] }
                    #expect(wrong.isEmpty, "\(wrong.prefix(5).map { (queries[$0], groups[$0], expected[$0]) })")
                }
            }
        }
        #expect(numbered > 100)
    }

    @Test("the accounts' ids of the generated books are numbered; other exports fall back to text")
    func fallbacks() {
        let generated = AccountIndex(ids: column((0..<1000).map { "A" + String(1_000_000 + $0 * 3).dropFirst() }))
        generated.withLookup { #expect($0.numbered) }
        // Numbers too far apart for a table: the hash.
        let sparse = AccountIndex(ids: column(["1", "50000", "999999999999999999"]))
        sparse.withLookup { #expect(!$0.numbered) }
        #expect(Array("50000".utf8).withUnsafeBufferPointer { sparse.find($0.baseAddress!, 5) } == 1)
        // Mixed widths: the hash.
        let mixed = AccountIndex(ids: column(["A001", "A01", "A1"]))
        mixed.withLookup { #expect(!$0.numbered) }
        #expect(Array("A01".utf8).withUnsafeBufferPointer { mixed.find($0.baseAddress!, 3) } == 1)
        let empty = AccountIndex(ids: TextColumn())
        #expect(Array("A01".utf8).withUnsafeBufferPointer { empty.find($0.baseAddress!, 3) } == -1)
    }

    @Test("ids in clusters far apart (Bitrix24's companies and groups) are numbered by pages")
    func clusters() {
        var rng = SplitMix(seed: 7)
        // Companies 1...30 000 with a few gaps, groups from 10 000 000 on, one more far out.
        var ids = (1...30000).filter { _ in Int.random(in: 0..<10, using: &rng) > 0 }.map { String($0) }
        ids += (0..<40).map { String(10_000_000 + $0 * 3) } + ["10500000"]
        ids.shuffle(using: &rng)
        let index = AccountIndex(ids: column(ids))
        index.withLookup { #expect($0.numbered) }
        var row: [String: Int32] = [:]
        for (r, id) in ids.enumerated() { row[id] = Int32(r) }
        var queries = ids + ["0", "30001", "9999999", "10000001", "10000120", "10499999", "10500001", "99999999"]
        queries += ["01", "1 ", "+1", "", "-5", "1e3", "00010000000"]
        queries += (0..<2000).map { _ in String(Int.random(in: 0...10_600_000, using: &rng)) }
        let wrong = queries.filter { q in
            let found = Array(q.utf8).withUnsafeBufferPointer {
                index.find($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count)
            }
            return found != row[q] ?? -1
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        // Too many pages for the ids: the hash, with the same answers.
        let scattered = (0..<300).map { String($0 * 100_003 + 1) }
        let hashed = AccountIndex(ids: column(scattered))
        hashed.withLookup { #expect(!$0.numbered) }
        for (r, id) in scattered.enumerated() {
            #expect(Array(id.utf8).withUnsafeBufferPointer { hashed.find($0.baseAddress!, $0.count) } == Int32(r))
        }
    }
}

// The tests' seeded generator, so that a failing case can be run again.
extension SplitMix: RandomNumberGenerator {}
