import Glibc

/// Files that readers never see half-written and that are never replaced, for the outbox
/// (alerts and digests): write a dot-named temporary in the target directory, fsync it,
/// hard-link it to its final name (`link` fails rather than replace an existing file),
/// remove the temporary and fsync the directory.
public enum DurableFile {
    /// A file operation failed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var operation: String
        public var errno: Int32

        public init(path: String, operation: String, errno: Int32) {
            self.path = path
            self.operation = operation
            self.errno = errno
        }

        public var description: String { "\(path): cannot \(operation): \(String(cString: strerror(errno)))" }
    }

    /// Writes `bytes` to the new file `temp` (a leftover of the same name is removed first),
    /// fsynced when `sync` is true. On failure nothing is left behind.
    public static func writeTemporary(_ bytes: [UInt8], at temp: String, mode: mode_t, sync: Bool) throws(Failure) {
        unlink(temp)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(path: temp, operation: "create", errno: errno) }
        defer { close(fd) }
        do throws(Failure) {
            try writeAll(fd, bytes, path: temp)
            if sync, fsync(fd) != 0 { throw Failure(path: temp, operation: "fsync", errno: errno) }
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// Gives the finished temporary its final name; `false` when a file of that name exists
    /// (it is left untouched). The temporary stays for the caller to remove.
    public static func publish(_ temp: String, as path: String) throws(Failure) -> Bool {
        if link(temp, path) == 0 { return true }
        let e = errno
        if e == EEXIST { return false }
        throw Failure(path: path, operation: "link", errno: e)
    }

    /// Makes a directory's new entries durable.
    public static func syncDirectory(_ path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure(path: path, operation: "fsync", errno: errno) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, operation: "write", errno: errno)
            }
            offset += n
        }
    }
}
