import Foundation
import KamwatchFiles
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
        try DurableFile.writeTemporary(Array("first".utf8), at: temp, mode: 0o644, sync: true)
        #expect(try DurableFile.publish(temp, as: final))
        try DurableFile.writeTemporary(Array("second".utf8), at: temp, mode: 0o644, sync: false)
        #expect(try DurableFile.publish(temp, as: final) == false)
        try DurableFile.syncDirectory(dir)
        #expect(try String(contentsOfFile: final, encoding: .utf8) == "first")
    }

    @Test func aLeftoverTemporaryIsReplacedAndErrorsNameThePath() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let temp = dir + "/.b.tmp"
        try "stale and longer".write(toFile: temp, atomically: false, encoding: .utf8)
        try DurableFile.writeTemporary(Array("new".utf8), at: temp, mode: 0o600, sync: true)
        #expect(try String(contentsOfFile: temp, encoding: .utf8) == "new")
        #expect(throws: DurableFile.Failure.self) {
            try DurableFile.writeTemporary([1], at: dir + "/missing/.c.tmp", mode: 0o600, sync: true)
        }
        do {
            try DurableFile.syncDirectory(dir + "/missing")
            Issue.record("syncing a missing directory succeeded")
        } catch {
            #expect(error.description == "\(dir)/missing: cannot open: No such file or directory")
        }
    }
}
