import Foundation

/// Where commands write: standard output and standard error, or memory in tests.
public struct Output: Sendable {
    public enum Stream: Sendable { case standardOutput, standardError }

    private let sink: @Sendable (Stream, UnsafeRawBufferPointer) -> Void

    public init(sink: @escaping @Sendable (Stream, UnsafeRawBufferPointer) -> Void) {
        self.sink = sink
    }

    /// The process's file descriptors 1 and 2, unbuffered: each call writes all its bytes.
    public static let standard = Output { stream, bytes in
        writeAll(bytes, to: stream == .standardOutput ? 1 : 2)
    }

    public func out(_ text: String) { send(text, to: .standardOutput) }
    public func err(_ text: String) { send(text, to: .standardError) }

    public func out(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { sink(.standardOutput, $0) }
    }

    private func send(_ text: String, to stream: Stream) {
        guard !text.isEmpty else { return }
        var text = text
        text.withUTF8 { sink(stream, UnsafeRawBufferPointer($0)) }
    }

    /// Writes every byte, retrying after signals (EINTR); stops on any other error, as a closed
    /// pipe leaves nobody to tell.
    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, base + offset, bytes.count - offset)
            if n <= 0 {
                if n < 0, errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}
