import Foundation
import KamwatchVocabulary

/// Why a file could not be read, for a person.
struct ReadFailure: Error, Sendable {
    var reason: String
}

/// A stream of bytes: a file range, decompressed gzip, or transcoded text.
protocol ByteSource: AnyObject {
    /// Reads up to `count` bytes into `buffer`; returns 0 at the end of the stream.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(ReadFailure) -> Int
}

/// An open file descriptor, closed when the last user lets go; safe to `pread` from many threads.
final class OpenFile: Sendable {
    let fd: Int32
    let size: Int

    /// Opens `path` read-only; only a regular file (or a link to one) is read.
    ///
    /// Opened without blocking: opening a FIFO for reading would otherwise wait for a writer,
    /// and hang whoever reads the data directory.
    init(path: String) throws(ReadFailure) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 { throw ReadFailure(reason: "cannot open: \(OpenFile.errorText())") }
        var st = stat()
        if fstat(fd, &st) != 0 {
            let text = OpenFile.errorText()
            close(fd)
            throw ReadFailure(reason: "cannot read: \(text)")
        }
        let kind = st.st_mode & S_IFMT
        if kind != S_IFREG {
            close(fd)
            let what =
                switch kind {
                case S_IFDIR: "a directory"
                case S_IFIFO: "a FIFO"
                case S_IFSOCK: "a socket"
                case S_IFCHR, S_IFBLK: "a device"
                default: "not a regular file"
                }
            throw ReadFailure(reason: "cannot read: \(what), not a regular file (skipped)")
        }
        self.fd = fd
        self.size = Int(st.st_size)
    }

    deinit { close(fd) }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}

/// Bytes of a file from `offset` to its end.
final class FileRangeSource: ByteSource {
    let file: OpenFile
    private(set) var offset: Int
    /// Reads stop here first, then go on in small steps: a chunk reads little of the next one.
    private let softEnd: Int

    init(file: OpenFile, offset: Int, softEnd: Int = Int.max) {
        self.file = file
        self.offset = offset
        self.softEnd = softEnd
    }

    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(ReadFailure) -> Int {
        var count = count
        if offset < softEnd {
            count = min(count, softEnd - offset)
        } else {
            count = min(count, 1 << 16)
        }
        while true {
            let n = pread(file.fd, buffer, count, off_t(offset))
            if n >= 0 {
                offset += n
                return n
            }
            if errno == EINTR { continue }
            throw ReadFailure(reason: "cannot read: \(OpenFile.errorText())")
        }
    }
}

/// Converts a Windows-1251 stream to UTF-8.
final class Windows1251Source: ByteSource {
    private let input: any ByteSource
    private var raw: UnsafeMutablePointer<UInt8>
    private var rawCapacity = 0
    /// Input bytes read so far, and output bytes written.
    private var rawCount = 0
    private var convertedCount = 0
    /// After `rawLimit` input bytes (where a chunk ends): the output bytes written by then.
    private let rawLimit: Int
    private(set) var convertedAtLimit: Int?

    /// Converts `input`; `rawLimit` input bytes in (an input that stops its reads there once),
    /// `convertedAtLimit` tells where that is in the output.
    init(input: any ByteSource, rawLimit: Int = Int.max) {
        self.input = input
        self.rawLimit = rawLimit
        raw = .allocate(capacity: 1)
        rawCapacity = 1
    }

    deinit { raw.deallocate() }

    /// About how many bytes `count` input bytes become, at the rate of those converted so far.
    func converted(_ count: Int) -> Int {
        rawCount > 0 ? Int(Double(count) * Double(convertedCount) / Double(rawCount)) : count
    }

    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(ReadFailure) -> Int {
        // Each byte becomes at most three UTF-8 bytes.
        let want = count / 3
        if want == 0 { return 0 }
        if rawCapacity < want {
            raw.deallocate()
            raw = .allocate(capacity: want)
            rawCapacity = want
        }
        let n = try input.read(into: raw, count: want)
        let written = Windows1251.convert(raw, count: n, to: buffer)
        rawCount += n
        convertedCount += written
        if rawCount == rawLimit { convertedAtLimit = convertedCount }
        return written
    }
}
