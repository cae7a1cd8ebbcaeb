import Foundation
import KamwatchVocabulary

/// An exclusive `flock` on `<state_dir>/kamwatch.lock`, held while the daemon runs, so that a
/// second daemon on the same state cannot emit the same transitions again. The kernel drops
/// it when the process ends, also on a crash.
public final class StateDirectoryLock: Sendable {
    private let fd: Int32

    /// Locks `<stateDir>/<fileName>`; with `wait`, waits for another holder to let go instead
    /// of failing.
    public init(stateDir: String, fileName: String = "kamwatch.lock", wait: Bool = false) throws {
        let path = stateDir + "/" + fileName
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LockError(reason: "\(path): cannot open: \(String(cString: strerror(errno)))") }
        var locked = flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB)
        while locked != 0, errno == EINTR { locked = flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) }
        if locked != 0 {
            let e = errno
            close(fd)
            throw LockError(
                reason: e == EWOULDBLOCK
                    ? "\(stateDir) is in use by another kamwatch run"
                    : "\(path): cannot lock: \(String(cString: strerror(e)))")
        }
    }

    deinit { close(fd) }
}

/// The state directory is locked by another daemon (or cannot be locked).
public struct LockError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
