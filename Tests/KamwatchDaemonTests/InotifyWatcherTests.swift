import Foundation
import KamwatchData
import KamwatchVocabulary
import Logging
import Testing

@testable import KamwatchDaemon

@Suite("Inotify watcher")
struct InotifyWatcherTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Starts a watcher on a fresh directory, runs `act`, and returns the first change with a table in it.
    func firstChange(_ act: @escaping @Sendable (String) throws -> Void) async throws -> DataChange? {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("orders.csv", "order_id\n")
        let watcher = try InotifyWatcher(directory: dir.path)
        let (changes, sink) = AsyncStream.makeStream(of: DataChange.self)
        let task = Task { await watcher.run(logger: logger) { sink.yield($0) } }
        defer { task.cancel() }
        let timeout = finish(sink)
        defer { timeout.cancel() }
        try act(dir.path)
        for await change in changes where !change.isEmpty { return change }
        return nil
    }

    @Test("a file renamed into place reports its table; its temporary name is ignored")
    func rename() async throws {
        let change = try await firstChange { dir in
            try "contact_id\n".write(toFile: dir + "/contacts.csv.tmp", atomically: false, encoding: .utf8)
            try FileManager.default.moveItem(atPath: dir + "/contacts.csv.tmp", toPath: dir + "/contacts-2026.csv")
        }
        #expect(change == DataChange(tables: [.contacts]))
    }

    @Test("a file written in place reports its table")
    func writeInPlace() async throws {
        let change = try await firstChange { dir in
            let h = try #require(FileHandle(forWritingAtPath: dir + "/orders.csv"))
            h.seekToEndOfFile()
            h.write(Data("o1\n".utf8))
            try h.close()
        }
        #expect(change == DataChange(tables: [.orders]))
    }

    @Test("a deleted file reports its table")
    func delete() async throws {
        let change = try await firstChange { dir in try FileManager.default.removeItem(atPath: dir + "/orders.csv") }
        #expect(change == DataChange(tables: [.orders]))
    }
}

@Suite("Inotify watcher, directory replaced")
struct InotifyWatcherReplacedTests {
    @Test("a data directory moved away and back is watched again, with a full re-read")
    func replaced() async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let data = dir.path + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let watcher = try InotifyWatcher(directory: data)
        let (changes, sink) = AsyncStream.makeStream(of: DataChange.self)
        let task = Task { await watcher.run(logger: logger) { sink.yield($0) } }
        defer { task.cancel() }
        let timeout = finish(sink)
        defer { timeout.cancel() }
        try FileManager.default.moveItem(atPath: data, toPath: dir.path + "/old")
        var iterator = changes.makeAsyncIterator()
        #expect(await iterator.next()?.rescan == true)
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        #expect(await iterator.next() == .everything)
        try "account_id\n".write(toFile: data + "/accounts.csv", atomically: false, encoding: .utf8)
        var next = await iterator.next()
        while next == .everything { next = await iterator.next() }
        #expect(next == DataChange(tables: [.accounts]))
    }
}

@Suite("Inotify watcher, symlink swapped")
struct InotifyWatcherSwapTests {
    @Test("a data directory symlink swapped to another directory (ln -sfn) is read in full and watched there")
    func swapped() async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for release in ["release-1", "release-2"] {
            try FileManager.default.createDirectory(atPath: dir.path + "/" + release, withIntermediateDirectories: true)
        }
        let data = dir.path + "/data"
        try FileManager.default.createSymbolicLink(atPath: data, withDestinationPath: "release-1")
        let watcher = try InotifyWatcher(directory: data)
        let (changes, sink) = AsyncStream.makeStream(of: DataChange.self)
        let task = Task { await watcher.run(logger: logger) { sink.yield($0) } }
        defer { task.cancel() }
        let timeout = finish(sink)
        defer { timeout.cancel() }
        // As `ln -sfn release-2 data` does: a new link renamed over the old one.
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/data.new", withDestinationPath: "release-2")
        #expect(rename(dir.path + "/data.new", data) == 0)
        var iterator = changes.makeAsyncIterator()
        #expect(await iterator.next()?.rescan == true)
        // The old directory is not watched any more; the new one is.
        try "account_id\n".write(toFile: dir.path + "/release-1/accounts.csv", atomically: false, encoding: .utf8)
        try "contact_id\n".write(toFile: dir.path + "/release-2/contacts.csv", atomically: false, encoding: .utf8)
        var next = await iterator.next()
        while next?.rescan == true { next = await iterator.next() }
        #expect(next == DataChange(tables: [.contacts]))
    }

    @Test("a queue overflow asks for a full rescan")
    func overflow() {
        var event = inotify_event()
        event.wd = -1
        event.mask = UInt32(IN_Q_OVERFLOW)
        let parsed = withUnsafeBytes(of: &event) { InotifyWatcher.parse($0, watch: 1) }
        #expect(parsed.change.rescan)
        #expect(parsed.overflowed)
        #expect(!parsed.lost)
    }
}

/// Ends the stream of changes after `timeout` of wall time, so that a test waiting for a real
/// inotify event that never comes gets `nil` and fails instead of hanging.
func finish(_ sink: AsyncStream<DataChange>.Continuation, after timeout: Duration = .seconds(10)) -> Task<Void, Never> {
    Task {
        try? await Task.sleep(for: timeout)
        sink.finish()
    }
}
