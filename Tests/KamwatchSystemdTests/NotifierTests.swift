import Glibc
import KamwatchTestSupport
import Testing

@testable import KamwatchSystemd

@Suite("Service manager notifications")
struct NotifierTests {
    @Test(
        "notifications are the lines sd_notify expects",
        arguments: [
            (NotifyMessage.ready(status: "12 accounts, 3 alerts open"), "READY=1\nSTATUS=12 accounts, 3 alerts open"),
            (.reloading(monotonicMicroseconds: 123_456), "RELOADING=1\nMONOTONIC_USEC=123456"),
            (.stopping, "STOPPING=1"),
            (.status("two\nlines"), "STATUS=two lines"),
            (.watchdog, "WATCHDOG=1"),
        ])
    func state(message: NotifyMessage, expected: String) {
        #expect(message.state == expected)
    }

    @Test("the watchdog is pinged at half its timeout")
    func pingInterval() {
        #expect(SystemdNotifier.pingInterval(watchdogMicroseconds: 60_000_000) == .seconds(30))
    }

    @Test func monotonicClockIsMicroseconds() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let usec = SystemdNotifier.monotonicMicroseconds()
        #expect(usec >= UInt64(now.tv_sec) * 1_000_000)
        #expect(usec < (UInt64(now.tv_sec) + 60) * 1_000_000)
    }

    @Test func recorderKeepsOrder() {
        let notifier = RecordingNotifier(watchdogInterval: .seconds(30))
        notifier.ready(status: "ok")
        notifier.reloading()
        notifier.watchdog()
        notifier.stopping()
        #expect(
            notifier.messages == [.ready(status: "ok"), .reloading(monotonicMicroseconds: 0), .watchdog, .stopping])
        #expect(notifier.watchdogInterval == .seconds(30))
    }
}

/// Tests that set NOTIFY_SOCKET/WATCHDOG_* in this process's environment, so they run one at a time.
@Suite("sd_notify over a real socket", .serialized)
struct SystemdNotifierSocketTests {
    @Test("without NOTIFY_SOCKET nothing is sent and the watchdog is off")
    func noSocket() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/notify"
        let fd = try bindDatagramSocket(at: path)
        defer { close(fd) }
        defer { unsetenv("NOTIFY_SOCKET") }
        unsetenv("NOTIFY_SOCKET")
        unsetenv("WATCHDOG_USEC")
        let made = SystemdNotifier()
        setenv("NOTIFY_SOCKET", path, 1)
        let madeWithSocket = SystemdNotifier()
        madeWithSocket.status("listening")
        // The socket does receive while NOTIFY_SOCKET names it, so the silence below means something.
        #expect(receiveDatagram(fd) == "STATUS=listening")

        unsetenv("NOTIFY_SOCKET")
        for notifier in [made, madeWithSocket] {
            notifier.ready(status: "ignored")
            notifier.reloading()
            notifier.status("ignored")
            notifier.watchdog()
            notifier.stopping()
            #expect(notifier.watchdogInterval == nil)
        }
        // A local datagram is queued before sendmsg returns: anything sent would be here already.
        #expect(receiveDatagram(fd, timeoutMilliseconds: 0) == nil)
    }

    @Test("notifications arrive on NOTIFY_SOCKET as one datagram each")
    func datagrams() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/notify"
        let fd = try bindDatagramSocket(at: path)
        defer { close(fd) }
        setenv("NOTIFY_SOCKET", path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }

        let notifier = SystemdNotifier()
        notifier.ready(status: "5 accounts watched, 2 alerts open")
        #expect(receiveDatagram(fd) == "READY=1\nSTATUS=5 accounts watched, 2 alerts open")
        notifier.reloading()
        let reload = try #require(receiveDatagram(fd))
        #expect(reload.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        notifier.stopping()
        #expect(receiveDatagram(fd) == "STOPPING=1")
    }

    @Test("WATCHDOG_USEC for this process turns the watchdog on")
    func watchdogEnabled() {
        setenv("WATCHDOG_USEC", "60000000", 1)
        setenv("WATCHDOG_PID", String(getpid()), 1)
        defer {
            unsetenv("WATCHDOG_USEC")
            unsetenv("WATCHDOG_PID")
        }
        #expect(SystemdNotifier().watchdogInterval == .seconds(30))
    }

    @Test("WATCHDOG_USEC meant for another process is ignored")
    func watchdogOtherPID() {
        setenv("WATCHDOG_USEC", "60000000", 1)
        setenv("WATCHDOG_PID", "1", 1)
        defer {
            unsetenv("WATCHDOG_USEC")
            unsetenv("WATCHDOG_PID")
        }
        #expect(SystemdNotifier().watchdogInterval == nil)
    }
}
