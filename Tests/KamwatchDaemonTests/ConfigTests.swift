import Foundation
import KamwatchDaemon
import KamwatchRules
import KamwatchVocabulary
import Testing

@Suite("Config")
struct ConfigTests {
    /// The config the package ships, found from this file (Tests/KamwatchDaemonTests/ConfigTests.swift).
    static let shippedConfig: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("deploy/kamwatch.yaml").path
    }()

    @Test("deploy/kamwatch.yaml states the defaults")
    func shippedFileStatesTheDefaults() throws {
        let shipped = try DaemonConfig.load(path: Self.shippedConfig)
        // rules_dir is the only key the file sets to a value of its own: the installed rules, which
        // the default (no rules_dir) finds for the installed binary too.
        let installedRules = RulesDirectory.candidates(environment: [:], executablePath: "/usr/bin/kamwatch")
        #expect(shipped.rulesDir == installedRules.first)
        var expected = DaemonConfig()
        expected.rulesDir = shipped.rulesDir
        #expect(shipped == expected)
    }

    @Test("an empty file gives the defaults")
    func defaults() throws {
        let config = try DaemonConfig.parse("", file: "k.yaml")
        #expect(config == DaemonConfig())
        #expect(config.dataDir == "/srv/kamwatch/data")
        #expect(config.rulesDir == nil)
        #expect(config.stateDir == "/var/lib/kamwatch")
        #expect(config.outboxDir == "/var/spool/kamwatch/outbox")
        #expect(config.timezone == "Europe/Moscow")
        #expect(config.locale == .ru)
        #expect(config.quietPeriod == .seconds(2))
        #expect(config.digest.from == "kamwatch@example.com")
        #expect(config.digest.fallback == "sales-ops@example.com")
        #expect(config.digest.allClear == false)
        #expect(config.digest.deliver == .files)
        #expect(config.digest.sendmail == ["/usr/sbin/sendmail", "-t", "-oi"])
    }

    @Test("every key is read")
    func allKeys() throws {
        let config = try DaemonConfig.parse(
            """
            data_dir: /d
            rules_dir: /r
            state_dir: /s
            outbox_dir: /o
            timezone: UTC
            locale: en
            quiet_period: 500ms
            digest:
              from: k@x.org
              fallback: ops@x.org
              all_clear: true
              deliver: sendmail
              sendmail: [/usr/bin/msmtp, -t, -oi, --account=relay]
            """, file: "k.yaml")
        #expect(config.dataDir == "/d")
        #expect(config.rulesDir == "/r")
        #expect(config.stateDir == "/s")
        #expect(config.outboxDir == "/o")
        #expect(config.timezone == "UTC")
        #expect(config.locale == .en)
        #expect(config.quietPeriod == .milliseconds(500))
        #expect(config.digest.from == "k@x.org")
        #expect(config.digest.fallback == "ops@x.org")
        #expect(config.digest.allClear)
        #expect(config.digest.deliver == .sendmail)
        #expect(config.digest.sendmail == ["/usr/bin/msmtp", "-t", "-oi", "--account=relay"])
    }

    @Test("sources: names a sources file; absent means the data directory's own layout")
    func sourcesKey() throws {
        #expect(
            try DaemonConfig.parse("sources: /etc/kamwatch/sources.yaml\n", file: "k.yaml").sources
                == "/etc/kamwatch/sources.yaml")
        #expect(try DaemonConfig.parse("", file: "k.yaml").sources == nil)
    }

    @Test(
        "errors name the file, line, column and what was expected",
        arguments: [
            (
                "data_dir: /d\ndata_dri: /x\n",
                "k.yaml:2:1: unknown key 'data_dri'; expected one of: data_dir, rules_dir, state_dir, outbox_dir, timezone, locale, quiet_period, digest, sources, health, metrics_file"
            ),
            (
                "digest:\n  form: a@b.c\n",
                "k.yaml:2:3: unknown key 'form' in 'digest'; expected one of: from, fallback, all_clear, deliver, sendmail"
            ),
            ("digest:\n  deliver: smtp\n", "k.yaml:2:12: 'deliver' must be files or sendmail, not 'smtp'"),
            (
                "digest:\n  sendmail: /usr/sbin/sendmail -t\n",
                "k.yaml:2:13: 'sendmail' must be a list: the program, then its arguments, such as [/usr/sbin/sendmail, -t, -oi]"
            ),
            (
                "digest:\n  sendmail: [sendmail, -t]\n",
                "k.yaml:2:14: the program of 'sendmail' must be an absolute path, not 'sendmail'"
            ),
            ("digest:\n  sendmail: [/a, [b]]\n", "k.yaml:2:18: each item of 'sendmail' must be a single value"),
            (
                "timezone: Europe/Moskva\n",
                "k.yaml:1:11: unknown time zone 'Europe/Moskva'; expected an IANA name such as Europe/Moscow or UTC"
            ),
            ("locale: de\n", "k.yaml:1:9: unknown locale 'de'; expected ru or en"),
            (
                "quiet_period: 2 sec\n",
                "k.yaml:1:15: invalid duration '2 sec' for 'quiet_period'; expected a number with ms, s, m, h or d, such as 2s or 500ms"
            ),
            ("digest:\n  all_clear: yes\n", "k.yaml:2:14: 'all_clear' must be true or false, not 'yes'"),
            (
                "digest:\n  from: nobody\n",
                "k.yaml:2:9: 'from' must be an e-mail address such as name@example.com, not 'nobody'"
            ),
            ("- a\n- b\n", "k.yaml:1:1: the config file must be a mapping of keys to values"),
            ("data_dir: [a, b]\n", "k.yaml:1:11: 'data_dir' must be a single value"),
            ("data_dir: \"/a\n", "k.yaml:2:1: invalid YAML: found unexpected end of stream"),
        ])
    func errors(text: String, expected: String) {
        #expect {
            _ = try DaemonConfig.parse(text, file: "k.yaml")
        } throws: { error in
            "\(error)" == expected
        }
    }

    @Test(
        "durations",
        arguments: [
            ("2s", Duration.seconds(2)), ("500ms", .milliseconds(500)), ("1.5s", .milliseconds(1500)),
            ("1m", .seconds(60)),
            ("0s", .zero),
        ])
    func durations(text: String, value: Duration) {
        #expect(DurationText.parse(text) == value)
    }

    /// Found by fuzzing: a duration past Int64 nanoseconds trapped the config reader.
    @Test("a duration too long to count is an invalid duration at its line and column, not a crash")
    func hugeDuration() {
        #expect(DurationText.parse("1088888888880m") == nil)
        #expect(DurationText.parse("1e300s") == nil)
        #expect {
            _ = try DaemonConfig.parse("quiet_period: 1088888888880m\n", file: "k.yaml")
        } throws: { error in
            "\(error)".hasPrefix("k.yaml:1:15: invalid duration '1088888888880m' for 'quiet_period'")
        }
    }

    @Test("a missing config file is an error naming it")
    func missingFile() {
        #expect(
            throws: InputIssue(
                file: "/nonexistent.yaml", reason: "cannot read the config file: No such file or directory")
        ) {
            try DaemonConfig.load(path: "/nonexistent.yaml")
        }
    }
}
