import Foundation
import KamwatchData
import KamwatchVocabulary
import Logging

/// Watches the data directory with inotify and reports which tables' files changed.
///
/// The directory's parent is watched too, for its name: when the name is made to lead to
/// another directory (a symlink swapped with `ln -sfn new data`, or a directory renamed over
/// it), the new one is watched and read in full.
///
/// Reads run on a dedicated thread (a blocking `poll`), never on the concurrency pool; a
/// pipe wakes that thread up when the watcher is stopped.
public final class InotifyWatcher: Sendable {
    public let directory: String
    /// Every file that is not still being written counts as a change (a sources file maps
    /// exports of any name); otherwise only SPEC §1's table file names do.
    public let anyFile: Bool
    private let fd: Int32
    /// The watch made at start; the read loop replaces it when the directory is replaced.
    private let firstWatch: Int32
    /// The watch on the parent directory, for the data directory's name; -1 when there is none.
    private let parentWatch: Int32
    /// The data directory's name in its parent.
    private let name: String
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Events that mean a file appeared, changed or went away.
    static let mask: UInt32 =
        UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM) | UInt32(IN_DELETE)
        | UInt32(IN_CREATE) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF)

    /// Events of the parent directory that may mean the data directory's name leads elsewhere.
    static let parentMask: UInt32 =
        UInt32(IN_CREATE) | UInt32(IN_MOVED_TO) | UInt32(IN_DELETE) | UInt32(IN_MOVED_FROM) | UInt32(IN_ONLYDIR)

    /// Starts watching now, so that nothing written after this call is missed.
    public init(directory: String, anyFile: Bool = false) throws {
        self.directory = directory
        self.anyFile = anyFile
        fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw WatchError(path: directory, operation: "inotify_init1", errno: errno) }
        firstWatch = inotify_add_watch(fd, directory, Self.mask)
        if firstWatch < 0 {
            let e = errno
            close(fd)
            throw WatchError(path: directory, operation: "watch", errno: e)
        }
        let path = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        name = (path as NSString).lastPathComponent
        let parent = (path as NSString).deletingLastPathComponent
        parentWatch = inotify_add_watch(fd, parent.isEmpty ? "." : parent, Self.parentMask)
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            close(fd)
            throw WatchError(path: directory, operation: "pipe", errno: errno)
        }
        wakeRead = pipeFDs[0]
        wakeWrite = pipeFDs[1]
        _ = fcntl(wakeRead, F_SETFD, FD_CLOEXEC)
        _ = fcntl(wakeWrite, F_SETFD, FD_CLOEXEC)
    }

    deinit {
        close(fd)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Reports changes to `onChange` until the task is cancelled.
    public func run(logger: Logger, onChange: @escaping @Sendable (DataChange) -> Void) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread.start(named: "kamwatch-watch") { [self] in
                    readLoop(logger: logger, onChange: onChange)
                    done.resume()
                }
            }
        } onCancel: {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    private func readLoop(logger: Logger, onChange: @Sendable (DataChange) -> Void) {
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        var fds = [
            pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
        ]
        var watch: Int32? = firstWatch
        while true {
            if watch == nil {
                // The directory was deleted or moved away: watch its path again once it is back.
                let wd = inotify_add_watch(fd, directory, Self.mask)
                if wd >= 0 {
                    watch = wd
                    logger.notice("watching the data directory again")
                    onChange(.everything)
                }
            }
            let ready = poll(&fds, 2, watch == nil ? 1000 : -1)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error("cannot wait for data directory events", metadata: ["errno": "\(errno)"])
                return
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            let n = read(fd, buffer, capacity)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                logger.error("cannot read data directory events", metadata: ["errno": "\(errno)"])
                return
            }
            var events = Self.parse(
                UnsafeRawBufferPointer(start: buffer, count: n), watch: watch ?? -1, anyFile: anyFile,
                parentWatch: parentWatch, name: name)
            if events.renamed, let old = watch {
                // The name may lead to another directory now: watch whatever it leads to.
                let wd = inotify_add_watch(fd, directory, Self.mask)
                if wd != old {
                    inotify_rm_watch(fd, old)
                    watch = wd >= 0 ? wd : nil
                    events.change.rescan = true
                    // What the old directory did last no longer matters.
                    events.lost = false
                    if wd >= 0 {
                        logger.notice("the data directory \(directory) leads to another directory now; reading it all")
                    } else {
                        logger.error("the data directory \(directory) is gone; waiting for it to come back")
                    }
                }
            }
            if events.overflowed {
                logger.warning("too many data directory events at once (inotify queue overflow); reading it all")
            }
            if events.lost, let wd = watch {
                logger.error("the data directory \(directory) was deleted or moved; waiting for it to come back")
                inotify_rm_watch(fd, wd)
                watch = nil
            }
            if !events.change.isEmpty { onChange(events.change) }
        }
    }

    /// Turns a buffer of `struct inotify_event`s into the tables they touch; `lost` when the
    /// watched directory itself went away, `renamed` when its name in the parent (`parentWatch`)
    /// was created, replaced or removed; `overflowed` when events were dropped.
    static func parse(
        _ bytes: UnsafeRawBufferPointer, watch: Int32, anyFile: Bool = false, parentWatch: Int32 = -1,
        name directoryName: String = ""
    ) -> (change: DataChange, lost: Bool, renamed: Bool, overflowed: Bool) {
        var overflowed = false
        var change = DataChange()
        var lost = false
        var renamed = false
        let header = MemoryLayout<inotify_event>.size
        var offset = 0
        while offset + header <= bytes.count {
            let wd = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameBytes = bytes[(offset + header)..<min(bytes.count, offset + header + length)]
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            offset += header + length
            if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                change.rescan = true
                overflowed = true
            } else if wd == parentWatch && wd != watch {
                if name == directoryName { renamed = true }
            } else if wd != watch {
                continue  // a watch already given up
            } else if mask & (UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_IGNORED)) != 0 {
                change.rescan = true
                lost = true
            } else if mask & UInt32(IN_ISDIR) == 0, let table = DataDirectory.table(forFileName: name) {
                change.tables.insert(table)
                if anyFile { change.files.insert(name) }
            } else if anyFile, mask & UInt32(IN_ISDIR) == 0, !DataDirectory.isIgnored(name) {
                change.tables.insert(.accounts)
                change.files.insert(name)
            }
        }
        return (change, lost, renamed, overflowed)
    }
}

/// The data directory could not be watched.
public struct WatchError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var errno: Int32

    public var description: String { "\(path): cannot \(operation): \(String(cString: strerror(errno)))" }
}
