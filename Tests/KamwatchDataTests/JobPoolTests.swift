import Dispatch
import Foundation
import KamwatchVocabulary
import Synchronization
import Testing

@testable import KamwatchData

@Suite("Job pool")
struct JobPoolTests {
    @Test("one worker runs ready jobs by priority, earlier added first among equals")
    func priorityOrder() {
        let pool = JobPool()
        let ran = Mutex<[String]>([])
        for (name, priority) in [("low", 1), ("high-a", 5), ("mid", 3), ("high-b", 5)] {
            pool.add(priority: priority) { ran.withLock { $0.append(name) } }
        }
        #expect(returns { pool.run(workers: 1) })
        #expect(ran.withLock { $0 } == ["high-a", "high-b", "mid", "low"])
    }

    @Test("jobs added by running jobs run too, before run returns", arguments: [1, 2, 4])
    func jobsAddJobs(workers: Int) {
        let pool = JobPool()
        let count = Mutex(0)
        // A tree of depth 6: 1 + 2 + … + 64 = 127 jobs.
        @Sendable func spawn(_ depth: Int) {
            count.withLock { $0 += 1 }
            guard depth < 6 else { return }
            pool.add(priority: depth) { spawn(depth + 1) }
            pool.add(priority: depth) { spawn(depth + 1) }
        }
        pool.add(priority: 0) { spawn(0) }
        #expect(returns { pool.run(workers: workers) })
        #expect(count.withLock { $0 } == 127)
    }

    @Test("a pool with no jobs returns at once", arguments: [1, 2, 4])
    func empty(workers: Int) {
        #expect(returns { JobPool().run(workers: workers) })
    }

    /// Runs `body` on a thread of its own and tells whether it returned within 10 s, so that a
    /// pool that never returns fails the test instead of hanging it.
    private func returns(_ body: @escaping @Sendable () -> Void) -> Bool {
        let returned = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            body()
            returned.signal()
        }
        return returned.wait(timeout: .now() + .seconds(10)) == .success
    }
}

@Suite("Job pool, cancelled")
struct JobPoolCancellationTests {
    @Test("once cancelled, jobs not started are dropped and run returns")
    func dropsJobs() {
        let cancellation = ReadCancellation()
        let pool = JobPool(cancellation: cancellation)
        let ran = Mutex(0)
        for i in 0..<100 {
            pool.add(priority: -i) {
                ran.withLock { $0 += 1 }
                if i == 9 { cancellation.cancel() }
            }
        }
        pool.run(workers: 1)
        #expect(ran.withLock { $0 } == 10)
        // A job added after the cancellation does not run either.
        pool.add(priority: 0) { ran.withLock { $0 += 1 } }
        pool.run(workers: 1)
        #expect(ran.withLock { $0 } == 10)
    }

    @Test("a read cancelled before it starts leaves every table out, never half read")
    func cancelledRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kamwatch-cancel-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "account_id,name\nA,a\n".write(toFile: dir + "/accounts.csv", atomically: false, encoding: .utf8)
        let cancellation = ReadCancellation()
        cancellation.cancel()
        let read = TableReader.read([.accounts: ["accounts.csv"]], in: dir, cancellation: cancellation)
        #expect(read[.accounts] == nil)
        let whole = TableReader.read([.accounts: ["accounts.csv"]], in: dir)
        #expect(whole[.accounts]?.rowCount == 1)
    }
}
