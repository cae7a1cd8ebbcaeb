import Foundation
import KamwatchVocabulary
import Testing

struct DurableFileTests {
    private func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "kamwatch-durable-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func publishesOnceAndNeverReplaces() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let temp = dir + "/.a.tmp"
        let final = dir + "/a.json"
        try DurableFile.writeTemporary(Array("first".utf8), at: temp, sync: true)
        #expect(try DurableFile.publish(temp, as: final))
        try DurableFile.writeTemporary(Array("second".utf8), at: temp, sync: false)
        #expect(try DurableFile.publish(temp, as: final) == false)
        try DurableFile.syncDirectory(dir)
        #expect(try String(contentsOfFile: final, encoding: .utf8) == "first")
    }

    @Test func aLeftoverTemporaryIsReplacedAndErrorsNameThePath() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let temp = dir + "/.b.tmp"
        try "stale and longer".write(toFile: temp, atomically: false, encoding: .utf8)
        try DurableFile.writeTemporary(Array("new".utf8), at: temp, sync: true)
        #expect(try String(contentsOfFile: temp, encoding: .utf8) == "new")
        #expect(throws: DurableFile.Failure.self) {
            try DurableFile.writeTemporary([1], at: dir + "/missing/.c.tmp", sync: true)
        }
        do {
            try DurableFile.syncDirectory(dir + "/missing")
            Issue.record("syncing a missing directory succeeded")
        } catch {
            #expect(error.description == "\(dir)/missing: cannot open: No such file or directory")
        }
    }
}

struct DurableFileOnceTests {
    @Test func writeOnceCreatesDirectoriesAndNeverReplaces() throws {
        let root = NSTemporaryDirectory() + "kamwatch-once-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/digests/2026-11-20/lead.eml"
        #expect(try DurableFile.writeOnce(Array("first".utf8), to: path))
        #expect(try DurableFile.writeOnce(Array("second".utf8), to: path) == false)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == Int(DurableFile.fileMode))
        let left = try FileManager.default.contentsOfDirectory(atPath: root + "/digests/2026-11-20")
        #expect(left == ["lead.eml"])
    }

    @Test func theSweepRemovesOnlyTemporaries() throws {
        let dir = NSTemporaryDirectory() + "kamwatch-sweep-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let temp = DurableFile.temporaryPath(in: dir)
        #expect(temp != DurableFile.temporaryPath(in: dir))
        try DurableFile.writeTemporary([1], at: temp, sync: false)
        try "keep".write(toFile: dir + "/a.json", atomically: false, encoding: .utf8)
        try "keep".write(toFile: dir + "/.other.tmp", atomically: false, encoding: .utf8)
        for name in [".kamwatch-", ".kamwatch-1-2.tmpx", "x.kamwatch-1-2.tmp", ".kamwatch.tmp"] {
            try "keep".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8)
        }
        for name in [".kamwatch-9-1.tmp", ".kamwatch-Ж-ü.tmp", ".kamwatch-.tmp"] {
            try "crash".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8)
        }
        DurableFile.removeStaleTemporaries(in: dir)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [
                ".kamwatch-", ".kamwatch-1-2.tmpx", ".kamwatch.tmp", ".other.tmp", "a.json", "x.kamwatch-1-2.tmp",
            ])
    }
}
