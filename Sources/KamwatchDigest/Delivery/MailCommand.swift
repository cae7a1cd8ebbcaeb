import Foundation

/// A sendmail-compatible command (`/usr/sbin/sendmail -t -oi`): gets one message on standard
/// input and accepts it by exiting 0.
public struct MailCommand: Sendable {
    /// The program (an absolute path), then its arguments.
    public var argv: [String]
    /// How long the command may take before it is stopped and the hand-off counts as failed.
    public var timeout: Duration
    /// At most this much of the command's output goes into a failure report.
    static let outputLimit = 2000

    public init(argv: [String], timeout: Duration = .seconds(120)) {
        self.argv = argv
        self.timeout = timeout
    }

    /// Why a hand-off failed, as the report and the journal show it.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }

        public init(reason: String) {
            self.reason = reason
        }
    }

    /// Pipes the file at `path` to the command; returns when it exited 0, throws otherwise with
    /// the exit status (or the timeout) and what it wrote to standard error and output.
    public func send(file path: String) throws(Failure) {
        guard let program = argv.first else { throw Failure(reason: "no command configured") }
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw Failure(reason: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { try? input.close() }
        // The command's output goes to an unlinked temporary file: no pipe to fill up, and a
        // child that leaves a daemon behind holding it open cannot make us wait.
        let capture: FileHandle
        do { capture = try Self.temporaryFile() } catch { throw Failure(reason: "\(error)") }
        defer { try? capture.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = Array(argv.dropFirst())
        process.standardInput = input
        process.standardOutput = capture
        process.standardError = capture
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw Failure(reason: "cannot start \(program): \(Self.describe(error))")
        }
        if exited.wait(timeout: .now() + timeout.timeInterval) == .timedOut {
            process.terminate()
            if exited.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
            throw Failure(reason: Self.report("\(program) did not finish within \(timeout)", output: capture))
        }
        let status = process.terminationStatus
        guard process.terminationReason == .exit, status == 0 else {
            let how =
                process.terminationReason == .exit ? "exit status \(status)" : "killed by signal \(status)"
            throw Failure(reason: Self.report("\(program) failed (\(how))", output: capture))
        }
    }

    private static func report(_ what: String, output: FileHandle) -> String {
        try? output.seek(toOffset: 0)
        let data = (try? output.read(upToCount: outputLimit)) ?? nil
        let text =
            data.map { String(decoding: $0, as: UTF8.self) }?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? what : "\(what): \(text.split(separator: "\n").joined(separator: " / "))"
    }

    private static func temporaryFile() throws -> FileHandle {
        var template = Array((NSTemporaryDirectory() + "/kamwatch-sendmail.XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw Failure(reason: "cannot create a temporary file: \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    private static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return ns.localizedDescription
    }
}

extension Duration {
    fileprivate var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
