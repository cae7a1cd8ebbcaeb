import Foundation
import KamwatchVocabulary
import Testing

@testable import KamwatchData

/// The byte fast paths of mapped exports give exactly what the general code gives.
@Suite("Mapped exports' fast paths")
struct MappedFastPathTests {
    /// A small deterministic generator (xorshift), so that failures repeat.
    struct Bytes {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    @Test("decimal-comma numbers: the same double as CellParser, or left to it")
    func decimalComma() {
        var cases = [
            "0", "-0", "+0", "1", "-1", "42499,44", "0,1", "0,0000001", "007,50", "123456789012345",
            "1234567890123456", "12345678901234,5", "1234567890123,45", "999999999999999", ",5", "5,", "-",
            "", "1,2,3", "1.5", "1 000,5", "1e5", "-42,", "+3,25", "12a", "9007199254740993",
        ]
        var g = Bytes()
        let alphabet = Array("0123456789,-+. ")
        for _ in 0..<20_000 {
            let length = 1 + g.next(18)
            cases.append(String((0..<length).map { k in alphabet[g.next(k == 0 ? alphabet.count : 11)] }))
        }
        for label in cases {
            var text = label
            text.withUTF8 { b in
                guard let p = b.baseAddress else { return }
                let general = CellParser.number(p, b.count, decimalComma: true)
                guard let fast = DecimalComma.number(p, b.count) else { return }
                guard case .success(let v) = general else {
                    Issue.record("\(label): fast path read \(fast), CellParser refused it")
                    return
                }
                #expect(fast.bitPattern == v.bitPattern, "\(label)")
            }
        }
        let plain = "42499,44"
        #expect(
            plain.utf8.withContiguousStorageIfAvailable { DecimalComma.number($0.baseAddress!, $0.count) } == 42499.44)
    }

    /// `text`'s bytes followed by 32 bytes of `fill` (the slack of a reader's buffer), given to `body`.
    static func padded<R>(_ text: String, fill: UInt8, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        let bytes = Array(text.utf8) + [UInt8](repeating: fill, count: 32)
        return bytes.withUnsafeBufferPointer { body($0.baseAddress!, bytes.count - 32) }
    }

    @Test("decimal-comma numbers read 16 bytes at a time: the same double as DecimalComma, or left to it")
    func commaNumberPadded() {
        var cases = [
            "0", "-0", "+0", "1", "-1", "42499,44", "0,1", "0,0000001", "007,50", "123456789012345",
            "1234567890123456", "12345678901234,5", "1234567890123,45", "999999999999999", ",5", "5,", "-",
            "1,2,3", "1.5", "1 000,5", "1e5", "-42,", "+3,25", "12a", "9007199254740993", "-12345678901234,5",
            "+1234567890,12345", "1,", "-,5", "1,-5", "1,,5", ",", "+",
        ]
        var g = Bytes()
        let alphabet = Array("0123456789,-+. ")
        for _ in 0..<20_000 {
            let length = 1 + g.next(18)
            cases.append(String((0..<length).map { k in alphabet[g.next(k == 0 ? alphabet.count : 11)] }))
        }
        for (k, label) in cases.enumerated() {
            // What follows the cell must not matter: digits, commas, a quote.
            let fill = Array("7,\"".utf8)[k % 3]
            let fast = Self.padded(label, fill: fill) { p, n in CellParser.commaNumberPadded(p, n) }
            let reference = Self.padded(label, fill: fill) { p, n in DecimalComma.number(p, n) }
            #expect(fast?.bitPattern == reference?.bitPattern || (fast == nil && label.utf8.count > 16), "\(label)")
            if let fast {
                let general = Self.padded(label, fill: fill) { p, n in CellParser.number(p, n, decimalComma: true) }
                guard case .success(let v) = general else {
                    Issue.record("\(label): fast path read \(fast), CellParser refused it")
                    continue
                }
                #expect(fast.bitPattern == v.bitPattern, "\(label)")
            }
        }
        #expect(Self.padded("42499,44", fill: 0x37) { CellParser.commaNumberPadded($0, $1) } == 42499.44)
        #expect(Self.padded("-0,5", fill: 0x37) { CellParser.commaNumberPadded($0, $1) } == -0.5)
        #expect(Self.padded("42499.44", fill: 0x37) { CellParser.commaNumberPadded($0, $1) } == nil)
        // The point form is unchanged.
        #expect(Self.padded("42499.44", fill: 0x37) { CellParser.plainNumberPadded($0, $1) } == 42499.44)
        #expect(Self.padded("42499,44", fill: 0x37) { CellParser.plainNumberPadded($0, $1) } == nil)
    }

    @Test("dates read at once: the same day or the same error as each style's general parse")
    func datePadded() throws {
        var cases = [
            "01.01.2015", "01.01.2015 00:00:00", "31.12.1899", "29.02.2024", "29.02.2023", "31.04.2025",
            "00.01.2025", "01.00.2025", "01.13.2025", "1.1.2025", "01.01.25", "01.01.2015 23:59:59",
            "01.01.2015 24:00:00", "01.01.2015 12:60:00", "01.01.2015 12:00:99", "01.01.2015 12:00",
            "01.01.2015 1:00", "01.01.2015 12:00:0", "01.01.2015T12:00:00", "01-01-2015", "01/01/2015",
            "2025-01-31", "2025-02-30", "2025-01-31 10:00", "2025-01-31T10:00:00", "01.01.0000",
            "31.12.9999", "01.01.2015 12:00 ", "01.01.2015  2:00:00", "01.01.2015 12:00:00 PM",
            "01.01.2015 12-00-00", "01,01,2015", "01.01.2015 12:00:00:00", "a1.01.2015",
        ]
        var g = Bytes()
        let alphabet = Array("0123456789.: -/")
        for _ in 0..<30_000 {
            // Mostly the shapes of the fast path, with a byte changed now and then.
            var shape = Array(["DD.MM.YYYY", "DD.MM.YYYY HH:MM", "DD.MM.YYYY HH:MM:SS", "YYYY-MM-DD"][g.next(4)])
            for i in shape.indices where shape[i].isLetter {
                shape[i] = Character(String(g.next(i < 2 || (i == 3 && shape[2] == ".") ? 4 : 10)))
            }
            if g.next(3) == 0 { shape[g.next(shape.count)] = alphabet[g.next(alphabet.count)] }
            if g.next(8) == 0 { shape.removeLast(g.next(3)) }
            cases.append(String(shape))
        }
        for (k, label) in cases.enumerated() {
            let fill = Array("0:. ".utf8)[k % 4]
            for style in DateStyle.allCases {
                let fast = Self.padded(label, fill: fill) { p, n in style.parsePadded(p, n) }
                let general = Self.padded(label, fill: fill) { p, n in style.parse(p, n) }
                switch (fast, general) {
                case (.success(let a), .success(let b)): #expect(a == b, "\(style) \(label)")
                case (.failure(let a), .failure(let b)): #expect(a == b, "\(style) \(label)")
                default: Issue.record("\(style) \(label): \(fast) against \(general)")
                }
            }
        }
        let day = Self.padded("20.11.2026 13:45:00", fill: 0x30) { DateStyle.dmy.parsePadded($0, $1) }
        #expect(try day.get() == Day(year: 2026, month: 11, day: 20)!.ordinal)
    }

    /// The conversion one byte at a time from the table.
    static func reference(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for b in bytes {
            let entry = Windows1251.table[Int(b)]
            for k in 0..<Int(entry.count) { out.append(UInt8(truncatingIfNeeded: entry.packed >> (8 * UInt32(k)))) }
        }
        return out
    }

    @Test("Windows-1251: the same bytes as the table one byte at a time, runs of ASCII or not")
    func windows1251() {
        var g = Bytes()
        for round in 0..<3_000 {
            let length = g.next(80)
            // Mostly ASCII in some rounds, mostly high bytes in others.
            let highShare = round % 4
            let bytes = (0..<length).map { _ in
                g.next(4) < highShare ? UInt8(0x80 + g.next(128)) : UInt8(g.next(128))
            }
            let out = UnsafeMutablePointer<UInt8>.allocate(capacity: max(3 * length, 1))
            defer { out.deallocate() }
            let n = bytes.withUnsafeBufferPointer { b in
                Windows1251.convert(b.baseAddress ?? UnsafePointer(out), count: length, to: out)
            }
            #expect(Array(UnsafeBufferPointer(start: out, count: n)) == Self.reference(bytes))
        }
        let all = (0..<256).map { UInt8($0) }
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * 256)
        defer { out.deallocate() }
        let n = all.withUnsafeBufferPointer { Windows1251.convert($0.baseAddress!, count: 256, to: out) }
        let text = String(decoding: UnsafeBufferPointer(start: out, count: n), as: UTF8.self)
        #expect(["АБВ", "абв", "Ё", "ё", "№", "€"].allSatisfy { text.contains($0) })
    }

    @Test("Windows-1251 cells: converted, tested for non-ASCII bytes and for content as their UTF-8")
    func windows1251Cells() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x20, 0x09, 0x0D, 0x22, 0x41, 0x31, 0x7F, 0x80, 0x98, 0xA0, 0xC2, 0xE0, 0xFF]
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * 40 + 1)
        let reference = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * 40)
        defer {
            out.deallocate()
            reference.deallocate()
        }
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...40, using: &generator)
            let cell = (0..<length).map { _ in
                Bool.random(using: &generator)
                    ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            cell.withUnsafeBufferPointer { b in
                let p = b.baseAddress ?? UnsafePointer(out)
                let n = Windows1251.convertCell(p, count: length, to: out, table: Windows1251.wordTable)
                let m = Windows1251.convert(p, count: length, to: reference)
                #expect(
                    Array(UnsafeBufferPointer(start: out, count: n))
                        == Array(UnsafeBufferPointer(start: reference, count: m)))
                #expect(Windows1251.hasHighBytes(p, length) == cell.contains { $0 >= 0x80 })
                let flags = Windows1251.quotesAndHighBytes(p, length)
                #expect((flags & 1 != 0) == cell.contains(UInt8(ascii: "\"")))
                #expect((flags & 2 != 0) == cell.contains { $0 >= 0x80 })
                #expect((flags & 1 != 0) == MappedRowDecoder.hasQuote(p, length))
                #expect(Windows1251.hasContent(p, length) == CellText.hasContent(reference, m))
            }
        }
    }

    @Test("names lower-cased by bytes: String's lower case for the text it accepts, refused otherwise")
    func nameKeys() {
        let accepted: (Unicode.Scalar) -> Bool = { s in
            let v = s.value
            return v < 0xC0 || (0x400...0x45F).contains(v) || (0x2002...0x206F).contains(v) || v == 0x2116
                || v == 0x20AC
        }
        var pool: [Unicode.Scalar] = []
        for v in Array(0x20...0x7E) + Array(0xA0...0xBF) + Array(0x400...0x46F) + [
            0x2013, 0x2116, 0x20AC, 0x2000, 0xC9,
        ] {
            pool.append(Unicode.Scalar(UInt32(v))!)
        }
        var g = Bytes()
        for round in 0..<20_000 {
            let length = g.next(30)
            // Some rounds are plain ASCII (long runs), others mixed.
            let scalars = (0..<length).map { _ in round % 3 == 0 ? pool[g.next(95)] : pool[g.next(pool.count)] }
            let label = String(String.UnicodeScalarView(scalars))
            let lowered = Array(label.lowercased().utf8)
            var text = label
            let expected = scalars.allSatisfy(accepted)
            text.withUTF8 { b in
                let out = UnsafeMutablePointer<UInt8>.allocate(capacity: max(b.count, 1))
                defer { out.deallocate() }
                let simple = b.isEmpty || NameKey.lowercase(b.baseAddress!, b.count, into: out)
                #expect(simple == expected, "\(label)")
                if simple && expected {
                    #expect(Array(UnsafeBufferPointer(start: out, count: b.count)) == lowered)
                }
            }
        }
    }

    @Test("a quote inside a quoted cell is found at any place and length")
    func quotes() {
        var g = Bytes()
        for _ in 0..<20_000 {
            let length = g.next(40)
            let bytes = (0..<length).map { _ in g.next(30) == 0 ? UInt8(ascii: "\"") : UInt8(0x20 + g.next(200)) }
            let found = bytes.withUnsafeBufferPointer { b in
                MappedRowDecoder.hasQuote(b.baseAddress ?? UnsafePointer(bitPattern: 1)!, length)
            }
            #expect(found == bytes.contains(UInt8(ascii: "\"")), "\(bytes)")
        }
    }

    @Test("the account names' table built in batches holds what adding each name in turn gives")
    func nameTableBatches() throws {
        var g = Bytes()
        let words = ["ООО «Альянс»", "ооо «альянс»", "Acme", "ACME", "Ёлка", "", "Orion Trading Co.", "Север №1"]
        for count in [0, 1, 31, 32, 33, 100, 1000] {
            // Names repeated in other cases, empty cells, and many distinct ones.
            let names = (0..<count).map { i in g.next(3) == 0 ? words[g.next(words.count)] : "Компания \(g.next(400))" }
            var column = TextColumn()
            for name in names {
                column.bytes.append(contentsOf: name.utf8)
                column.ends.append(UInt32(column.bytes.count))
            }
            let batched = try #require(NameTable(names: column))
            var single = NameTable(capacity: count)
            for (row, name) in names.enumerated() where !name.isEmpty {
                let key = Array(name.lowercased().utf8)
                key.withUnsafeBufferPointer { single.add($0.baseAddress!, $0.count, row: row) }
            }
            for name in Set(names).union(["нет такой", "acme corp"]) where !name.isEmpty {
                let key = Array(name.lowercased().utf8)
                let (a, b) = key.withUnsafeBufferPointer {
                    (batched.find($0.baseAddress!, $0.count), single.find($0.baseAddress!, $0.count))
                }
                #expect(a == b, "\(name)")
                if let a, let b {
                    #expect(batched.rows(a) == single.rows(b), "\(name)")
                    #expect(batched.key(a) == name.lowercased())
                }
            }
        }
    }

    @Test("names looked up 32 at a time find the entries one lookup at a time finds (names sharing slots)")
    func nameTableBatchedLookups() throws {
        var g = Bytes()
        for count in [1, 40, 1000, 5000] {
            // Names sharing their first slot with others (the table is about half full), and
            // shared ones.
            let names = (0..<count).map { i in g.next(10) == 0 ? "Общая \(g.next(20))" : "Компания \(i) ООО" }
            var column = TextColumn()
            for name in names {
                column.bytes.append(contentsOf: name.utf8)
                column.ends.append(UInt32(column.bytes.count))
            }
            let table = try #require(NameTable(names: column))
            let asked = (0..<2000).map { _ in
                g.next(4) == 0 ? "компания \(g.next(count * 2)) ооо" : names[g.next(count)].lowercased()
            }
            var keys: [UInt8] = []
            var offsets: [Int] = []
            var counts: [Int] = []
            var hashes: [UInt64] = []
            for key in asked {
                let bytes = Array(key.utf8)
                offsets.append(keys.count)
                counts.append(bytes.count)
                hashes.append(bytes.withUnsafeBufferPointer { ByteHash.hash($0.baseAddress!, $0.count) })
                keys += bytes
            }
            let k = UnsafeMutablePointer<UInt8>.allocate(capacity: keys.count)
            let o = UnsafeMutablePointer<Int>.allocate(capacity: asked.count)
            let c = UnsafeMutablePointer<Int>.allocate(capacity: asked.count)
            let h = UnsafeMutablePointer<UInt64>.allocate(capacity: asked.count)
            let f = UnsafeMutablePointer<Int>.allocate(capacity: asked.count)
            let w = UnsafeMutablePointer<UInt64>.allocate(capacity: 32)
            defer {
                k.deallocate()
                for p in [o, c, f] { p.deallocate() }
                h.deallocate()
                w.deallocate()
            }
            k.initialize(from: keys, count: keys.count)
            o.initialize(from: offsets, count: asked.count)
            c.initialize(from: counts, count: asked.count)
            h.initialize(from: hashes, count: asked.count)
            var start = 0
            while start < asked.count {
                let m = min(32, asked.count - start)
                table.find(
                    batch: m, keys: k, offsets: o + start, counts: c + start, hashes: h + start, into: f + start,
                    words: w)
                start += m
            }
            let found = Array(UnsafeBufferPointer(start: f, count: asked.count))
            for (i, key) in asked.enumerated() {
                let single = Array(key.utf8).withUnsafeBufferPointer { table.find($0.baseAddress!, $0.count) }
                #expect(found[i] == (single ?? -1), "\(key)")
            }
        }
    }

    /// A `TextColumn` of `cells` (`nil`: absent).
    static func column(_ cells: [String?]) -> TextColumn {
        var column = TextColumn()
        for cell in cells {
            if let cell { column.bytes.append(contentsOf: cell.utf8) }
            column.ends.append(UInt32(column.bytes.count))
        }
        return column
    }

    /// The cells of `builder` (`nil`: absent or empty).
    static func cells(_ builder: TextBuilder) -> [String?] {
        var start = 0
        return (0..<builder.count).map { row in
            let end = Int(builder.ends.base[row])
            defer { start = end }
            if end == start { return nil }
            let cell = UnsafeBufferPointer(start: builder.bytes.base + start, count: end - start)
            return String(decoding: cell, as: UTF8.self)
        }
    }

    /// The first hit of each name, in row order.
    static func firstHits(_ hits: [AccountNames.Hit]) -> [AccountNames.Hit] {
        var seen = Set<String>()
        return hits.sorted { $0.row < $1.row }.filter { seen.insert($0.key).inserted }
    }

    @Test("names linked by bytes link as String's lower case does: ids, names kept or dropped, shared names")
    func namesLinkedByBytes() {
        var g = Bytes()
        let shared = ["ООО «Альянс»", "ооо «альянс»", "Acme", "ACME", "Ёлка", "ёЛКА"]
        let odd = ["Café Noir", "Åland AB"]
        for round in 0..<60 {
            // Distinct names, some shared in other cases, some quoted, some Cyrillic; every
            // fourth round a name (or only a cell) that NameKey refuses.
            var names: [String?] = []
            for i in 0..<(round * 7 % 300) {
                switch g.next(8) {
                case 0: names.append(shared[g.next(shared.count)])
                case 1: names.append(nil)
                case 2: names.append("АО \"Компания \(i)\"")
                case 3: names.append("компания \(i) (\(g.next(3)))")
                case 4: names.append("Orion \(i) Co.")
                default: names.append("ООО «Фирма \(g.next(500))»")
                }
            }
            if round % 4 == 1 && !names.isEmpty { names[g.next(names.count)] = odd[g.next(odd.count)] }
            let ids = Self.column(names.indices.map { g.next(9) == 0 ? nil : "\($0 + 1)" })
            let accounts = AccountNames(names: Self.column(names), ids: ids)
            let written = names.compactMap { $0 }
            var cells: [String?] = []
            for _ in 0..<(g.next(400) + 1) {
                let pick = written.isEmpty ? "нет" : written[g.next(written.count)]
                switch g.next(10) {
                case 0: cells.append(nil)
                case 1: cells.append(pick.uppercased())
                case 2: cells.append(pick.lowercased())
                case 3: cells.append("Нет такой \(g.next(50))")
                case 4: cells.append(cells.last ?? pick)
                case 5: cells.append("нет такой \(g.next(50))")
                default: cells.append(pick)
                }
            }
            if round % 4 == 3 && !cells.isEmpty { cells[g.next(cells.count)] = odd[g.next(odd.count)] }
            let column = Self.column(cells)
            for keepUnknown in [true, false] {
                let byBytes = TextBuilder()
                var bytesHits: [AccountNames.Hit] = []
                let byName = TextBuilder()
                var nameHits: [AccountNames.Hit] = []
                column.bytes.withUnsafeBufferPointer { b in
                    column.ends.withUnsafeBufferPointer { e in
                        let base = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
                        let ok = accounts.resolveByBytes(
                            base, e.baseAddress!, count: cells.count, keepUnknown: keepUnknown, into: byBytes,
                            hits: &bytesHits, rowBase: 10)
                        let comparable = (names + cells).allSatisfy { text in
                            guard var text else { return true }
                            return text.withUTF8 { t in
                                let out = UnsafeMutablePointer<UInt8>.allocate(capacity: max(t.count, 1))
                                defer { out.deallocate() }
                                return t.isEmpty || NameKey.lowercase(t.baseAddress!, t.count, into: out)
                            }
                        }
                        #expect(ok == comparable, "round \(round)")
                        accounts.resolveByName(
                            base, e.baseAddress!, count: cells.count, keepUnknown: keepUnknown, into: byName,
                            hits: &nameHits, rowBase: 10)
                        if ok {
                            #expect(Self.cells(byBytes) == Self.cells(byName), "round \(round)")
                            // Reported: the first row naming each shared name (a row repeating
                            // the name above may go unlisted).
                            let a = Self.firstHits(bytesHits)
                            let b = Self.firstHits(nameHits)
                            #expect(a.map(\.row) == b.map(\.row), "round \(round)")
                            #expect(a.map(\.key) == b.map(\.key), "round \(round)")
                            #expect(a.map(\.cell) == b.map(\.cell), "round \(round)")
                            #expect(a.map(\.accounts) == b.map(\.accounts), "round \(round)")
                            #expect(Set(bytesHits.map(\.row)).isSubset(of: nameHits.map(\.row)), "round \(round)")
                        }
                    }
                }
            }
        }
    }
}
