import Foundation
import KamwatchFiles

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
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        defer { unlink(temp) }
        do throws(DurableFile.Failure) {
            try DurableFile.writeTemporary(Array(data), at: temp, mode: 0o640, sync: true)
            guard try DurableFile.publish(temp, as: url.path) else { return .alreadyExists }
            try DurableFile.syncDirectory(folder.path)
        } catch {
            throw digestError(error)
        }
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
        do throws(DurableFile.Failure) {
            try DurableFile.syncDirectory(folder.path)
        } catch {
            throw digestError(error)
        }
    }

    private static func digestError(_ f: DurableFile.Failure) -> DigestError {
        DigestError.write(path: f.path, reason: "\(f.operation) failed: \(String(cString: strerror(f.errno)))")
    }

    private static func failure(_ url: URL, _ step: String) -> DigestError {
        DigestError.write(path: url.path, reason: "\(step) failed: \(String(cString: strerror(errno)))")
    }
}
