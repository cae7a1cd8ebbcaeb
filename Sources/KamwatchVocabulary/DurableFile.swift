import Foundation
import Synchronization

/// Files that readers never see half-written and that are never replaced, for the outbox
/// (alerts and digests): write a dot-named temporary in the target directory, fsync it,
/// hard-link it to its final name (`link` fails rather than replace an existing file),
/// remove the temporary and fsync the directory.
///
/// Temporaries are named `.kamwatch-<pid>-<n>.tmp` (outbox consumers skip dot files) and a
/// crash may leave one behind: `removeStaleTemporaries(in:)` sweeps them at start.
public enum DurableFile {
    /// Mode of every file kamwatch writes to the outbox: the owner writes, its group
    /// (the outbox's consumers, through the setgid directory) reads.
    public static let fileMode: mode_t = 0o640
    /// Mode of the directories it creates there.
    public static let directoryMode: mode_t = 0o750

    private static let counter = Atomic<Int>(0)

    /// A new temporary's path in `directory`, unique in this process.
    public static func temporaryPath(in directory: String) -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        return directory + "/.kamwatch-\(getpid())-\(n).tmp"
    }

    /// Whether `name` is one of the temporaries `temporaryPath(in:)` makes.
    public static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".kamwatch-") && name.hasSuffix(".tmp")
    }

    /// Removes the temporaries a crash left in `directory` (never a finished file). Call it
    /// only where no other process is writing.
    public static func removeStaleTemporaries(in directory: String) {
        // Read with `readdir`, only a temporary's name made a `String`: the outbox can hold tens of
        // thousands of files, and this runs at every start.
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        let prefix = Array(".kamwatch-".utf8)
        var stale: [String] = []
        while let entry = readdir(stream) {
            let name: String? = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                guard let length = raw.firstIndex(of: 0), length >= prefix.count,
                    raw.prefix(prefix.count).elementsEqual(prefix)
                else { return nil }
                return String(decoding: raw.prefix(length), as: UTF8.self)
            }
            if let name, isTemporary(name) { stale.append(name) }
        }
        for name in stale { unlink(directory + "/" + name) }
    }

    /// Writes `bytes` to `path` unless a file of that name exists (then `false`, and the file is
    /// left as it is), creating missing directories; everything is durable when it returns.
    public static func writeOnce(_ bytes: [UInt8], to path: String) throws(Failure) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        try makeDirectories(directory)
        if access(path, F_OK) == 0 { return false }
        let temp = temporaryPath(in: directory)
        defer { unlink(temp) }
        try writeTemporary(bytes, at: temp, sync: true)
        guard try publish(temp, as: path) else { return false }
        try syncDirectory(directory)
        return true
    }

    /// Replaces `path` with `bytes` at once (a temporary renamed over it): a reader sees the old
    /// file or the new one, never half of one. Not fsynced: for files rewritten often (metrics).
    public static func replace(_ bytes: [UInt8], at path: String) throws(Failure) {
        let directory = (path as NSString).deletingLastPathComponent
        let temp = temporaryPath(in: directory.isEmpty ? "." : directory)
        try writeTemporary(bytes, at: temp, sync: false)
        if rename(temp, path) != 0 {
            let e = errno
            unlink(temp)
            throw Failure(path: path, operation: "rename over", errno: e)
        }
    }

    /// `mkdir -p`, syncing each parent after creating a child so the new directory survives a crash.
    public static func makeDirectories(_ directory: String) throws(Failure) {
        var st = stat()
        if stat(directory, &st) == 0 {
            if st.st_mode & S_IFMT == S_IFDIR { return }
            throw Failure(path: directory, operation: "create a directory over a file", errno: EEXIST)
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory { try makeDirectories(parent) }
        if mkdir(directory, directoryMode) != 0, errno != EEXIST {
            throw Failure(path: directory, operation: "mkdir", errno: errno)
        }
        try syncDirectory(parent.isEmpty ? "." : parent)
    }

    /// A file operation failed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var operation: String
        public var errno: Int32

        /// The system's text for `errno`.
        public var reason: String { String(cString: strerror(errno)) }

        public var description: String { "\(path): cannot \(operation): \(reason)" }
    }

    /// Writes `bytes` to the new file `temp` (a leftover of the same name is removed first),
    /// fsynced when `sync` is true. On failure nothing is left behind.
    public static func writeTemporary(_ bytes: [UInt8], at temp: String, sync: Bool) throws(Failure) {
        unlink(temp)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
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

    /// Writes `bytes` to a new file without a name in `directory` (`O_TMPFILE`), not fsynced, and
    /// returns its descriptor for `publishUnnamed(_:as:)`: no directory entry is made or removed
    /// until it is named, and a crash before that leaves nothing behind. `nil` when the file
    /// system makes no unnamed files, or when the descriptor would be `fdCeiling` or above
    /// (descriptors are kept open until named: the caller writes the rest with names).
    public static func writeUnnamed(_ bytes: [UInt8], in directory: String, fdCeiling: Int32) throws(Failure) -> Int32?
    {
        let fd = open(directory, O_WRONLY | O_CLOEXEC | unnamedFile, fileMode)
        guard fd >= 0 else {
            let e = errno
            // Not supported here (EOPNOTSUPP, EISDIR, EINVAL) or out of descriptors: named files do.
            if [EOPNOTSUPP, EISDIR, EINVAL, EMFILE, ENFILE].contains(e) { return nil }
            throw Failure(path: directory, operation: "create an unnamed file in", errno: e)
        }
        guard fd < fdCeiling else {
            close(fd)
            return nil
        }
        do throws(Failure) {
            try writeAll(fd, bytes, path: directory)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Names the unnamed file `fd` (from `writeUnnamed`) `path` and closes it; `false` when a file of
    /// that name exists (it is left untouched, the unnamed file dropped). On a thrown error `fd`
    /// stays open for the caller to close.
    public static func publishUnnamed(_ fd: Int32, as path: String) throws(Failure) -> Bool {
        // Linked through /proc (`AT_EMPTY_PATH` would need a capability).
        if linkat(atCurrentDirectory, "/proc/self/fd/\(fd)", atCurrentDirectory, path, AT_SYMLINK_FOLLOW) == 0 {
            close(fd)
            return true
        }
        let e = errno
        if e == EEXIST {
            close(fd)
            return false
        }
        throw Failure(path: path, operation: "link", errno: e)
    }

    /// Whether `directory`'s file system makes unnamed files that `publishUnnamed` can name
    /// (`/proc` mounted, `O_TMPFILE` supported): one is made and named as a temporary, then removed.
    public static func canPublishUnnamed(in directory: String) -> Bool {
        guard let fd = try? writeUnnamed([], in: directory, fdCeiling: .max) else { return false }
        let probe = temporaryPath(in: directory)
        guard (try? publishUnnamed(fd, as: probe)) == true else {
            close(fd)
            return false
        }
        unlink(probe)
        return true
    }

    /// Gives the finished temporary its final name; `false` when a file of that name exists
    /// (it is left untouched). The temporary stays for the caller to remove.
    public static func publish(_ temp: String, as path: String) throws(Failure) -> Bool {
        if link(temp, path) == 0 { return true }
        let e = errno
        if e == EEXIST { return false }
        throw Failure(path: path, operation: "link", errno: e)
    }

    /// `publish`, renaming instead of linking (one directory change instead of two): the
    /// temporary is gone afterwards in every case but a thrown error. `false` when a file of
    /// that name exists (it is left untouched). Where the file system cannot rename without
    /// replacing, it links.
    public static func publishMoving(_ temp: String, as path: String) throws(Failure) -> Bool {
        if systemRenameat2(atCurrentDirectory, temp, atCurrentDirectory, path, renameNoReplace) == 0 { return true }
        let e = errno
        if e == EEXIST {
            unlink(temp)
            return false
        }
        guard e == EINVAL || e == ENOSYS else { throw Failure(path: path, operation: "rename", errno: e) }
        defer { unlink(temp) }
        return try publish(temp, as: path)
    }

    /// Makes a directory's new entries durable.
    public static func syncDirectory(_ path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure(path: path, operation: "fsync", errno: errno) }
    }

    /// Makes everything written to the file system holding `path` durable (one `syncfs`, for
    /// many files written without an fsync each; other file systems are not waited for).
    public static func syncFileSystem(of path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        guard systemSyncfs(fd) == 0 else { throw Failure(path: path, operation: "syncfs", errno: errno) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress! + offset, raw.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, operation: "write", errno: errno)
            }
            offset += n
        }
    }
}

/// glibc's `syncfs(2)`, which its Swift module leaves out (declared under `_GNU_SOURCE` only).
@_silgen_name("syncfs")
private func systemSyncfs(_ fd: Int32) -> Int32

/// glibc's `renameat2(2)` (declared under `_GNU_SOURCE` only), its `AT_FDCWD` and `RENAME_NOREPLACE`.
@_silgen_name("renameat2")
private func systemRenameat2(
    _ oldDirectory: Int32, _ old: UnsafePointer<CChar>, _ newDirectory: Int32, _ new: UnsafePointer<CChar>,
    _ flags: UInt32
) -> Int32
private let atCurrentDirectory: Int32 = -100
/// `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`), which Glibc's Swift module does not export.
private let unnamedFile: Int32 = 0o20_000_000 | O_DIRECTORY
private let renameNoReplace: UInt32 = 1
