import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so readers never see half of it and nothing is ever overwritten:
/// temp file in the same folder, fsync, hard link to the final name (fails if it exists), fsync folder.
public enum AtomicFileWriter {
    /// The result of a write.
    public enum Outcome: Sendable, Hashable {
        case written
        case alreadyExists
    }

    /// Writes `data` to `url` unless a file of that name exists; creates missing folders.
    public static func write(_ data: Data, to url: URL) throws -> Outcome {
        let folder = url.deletingLastPathComponent()
        try makeFolder(folder)
        if FileManager.default.fileExists(atPath: url.path) { return .alreadyExists }

        // A dot name: outbox consumers skip hidden files, so they never pick up a temp file.
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw failure(temp, "create") }
        var ok = false
        defer {
            if !ok { unlink(temp.path) }
        }
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw failure(temp, "write")
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else { throw failure(temp, "fsync") }
        }
        // link(2) refuses an existing name: the no-overwrite rename that works on every file system.
        if link(temp.path, url.path) != 0 {
            if errno == EEXIST { return .alreadyExists }
            throw failure(url, "link")
        }
        unlink(temp.path)
        ok = true
        try syncFolder(folder)
        return .written
    }

    /// `mkdir -p`, syncing each parent after creating a child so the new folder survives a crash.
    static func makeFolder(_ folder: URL) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir) {
            if isDir.boolValue { return }
            throw DigestError.write(path: folder.path, reason: "exists and is not a folder")
        }
        let parent = folder.deletingLastPathComponent()
        if parent.path != folder.path { try makeFolder(parent) }
        if mkdir(folder.path, 0o750) != 0 && errno != EEXIST { throw failure(folder, "mkdir") }
        try syncFolder(parent)
    }

    static func syncFolder(_ folder: URL) throws {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(folder, "open folder") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(folder, "fsync folder") }
    }

    private static func failure(_ url: URL, _ step: String) -> DigestError {
        DigestError.write(path: url.path, reason: "\(step) failed: \(String(cString: strerror(errno)))")
    }
}
