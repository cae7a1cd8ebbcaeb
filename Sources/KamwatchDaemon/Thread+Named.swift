import Foundation

extension Thread {
    /// Starts a thread that runs `body` under `name`, the name `ps -L` and `top -H` show.
    static func start(named name: String, _ body: @escaping @Sendable () -> Void) {
        precondition(name.utf8.count <= 15, "a thread name has at most 15 bytes")
        Thread {
            nameCurrent(name)
            body()
        }.start()
    }

    /// Names the calling thread as `prctl(PR_SET_NAME)` does. Foundation's `name` is no help on
    /// Linux: given before `start()` it is dropped, and set on the thread it sometimes is too.
    private static func nameCurrent(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = Array(name.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
