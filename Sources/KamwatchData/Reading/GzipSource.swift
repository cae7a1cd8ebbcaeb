import CZlib
import KamwatchVocabulary

/// Decompresses a gzip stream (also several concatenated members) read from another source.
final class GzipSource: ByteSource {
    private let input: any ByteSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let inBuffer: UnsafeMutablePointer<UInt8>
    private let inCapacity = 1 << 18
    private var inputEnded = false
    private var finished = false
    private var sawMember = false

    init(input: any ByteSource) throws(ReadFailure) {
        self.input = input
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        inBuffer = .allocate(capacity: inCapacity)
        // 16 + MAX_WBITS: expect a gzip header and trailer. inflateInit2 is a C macro.
        let rc = inflateInit2_(stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK {
            stream.deinitialize(count: 1)
            stream.deallocate()
            inBuffer.deallocate()
            throw ReadFailure(reason: "cannot start gzip decompression (zlib error \(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        inBuffer.deallocate()
    }

    private func refill() throws(ReadFailure) {
        let n = try input.read(into: inBuffer, count: inCapacity)
        if n == 0 { inputEnded = true }
        stream.pointee.next_in = inBuffer
        stream.pointee.avail_in = UInt32(n)
    }

    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(ReadFailure) -> Int {
        if finished || count == 0 { return 0 }
        stream.pointee.next_out = buffer
        stream.pointee.avail_out = UInt32(min(count, Int(UInt32.max)))
        let wanted = Int(stream.pointee.avail_out)
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && !inputEnded {
                try refill()
            }
            if stream.pointee.avail_in == 0 && inputEnded {
                if !sawMember {
                    throw ReadFailure(reason: "corrupt gzip data: the file is empty")
                }
                throw ReadFailure(reason: "corrupt gzip data: the file is truncated")
            }
            let rc = inflate(stream, Z_NO_FLUSH)
            sawMember = true
            if rc == Z_STREAM_END {
                // Another member may follow (concatenated gzip files); anything else ends the data.
                if stream.pointee.avail_in == 0 && !inputEnded { try refill() }
                if stream.pointee.avail_in >= 2 && stream.pointee.next_in[0] == 0x1F
                    && stream.pointee.next_in[1] == 0x8B
                {
                    inflateReset(stream)
                    continue
                }
                finished = true
                break
            }
            if rc != Z_OK && rc != Z_BUF_ERROR {
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                throw ReadFailure(reason: "corrupt gzip data: \(detail)")
            }
        }
        return wanted - Int(stream.pointee.avail_out)
    }
}
