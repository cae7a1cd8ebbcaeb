import Foundation
import GRDB
import KamwatchVocabulary

/// The state database's schema, as named migrations applied in order.
enum StateSchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-alerts-transitions-digests") { db in
            // One row per alert that currently holds: (rule, account) is its identity.
            try db.execute(
                sql: """
                    CREATE TABLE open_alerts (
                        rule TEXT NOT NULL,
                        account_id TEXT NOT NULL,
                        account_name TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        since DATETIME NOT NULL,
                        evidence TEXT NOT NULL,
                        owner TEXT,
                        lead TEXT,
                        message TEXT NOT NULL,
                        revenue_at_stake DOUBLE,
                        message_id TEXT,
                        PRIMARY KEY (rule, account_id)
                    ) WITHOUT ROWID;
                    """)
            // AUTOINCREMENT so that a seq is never reused, even after the last row is deleted.
            try db.execute(
                sql: """
                    CREATE TABLE transitions (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        time DATETIME NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('firing', 'resolved')),
                        rule TEXT NOT NULL,
                        account_id TEXT NOT NULL,
                        account_name TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        previous_severity TEXT,
                        owner TEXT,
                        lead TEXT,
                        message TEXT NOT NULL,
                        evidence TEXT NOT NULL,
                        revenue_at_stake DOUBLE,
                        message_id TEXT,
                        emitted_journal BOOLEAN NOT NULL DEFAULT 0,
                        emitted_outbox BOOLEAN NOT NULL DEFAULT 0
                    );
                    CREATE INDEX transitions_time ON transitions(time);
                    CREATE INDEX transitions_pending ON transitions(seq)
                        WHERE emitted_journal = 0 OR emitted_outbox = 0;
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE digests (
                        date TEXT NOT NULL,
                        lead TEXT NOT NULL,
                        upto_seq INTEGER NOT NULL,
                        written_at DATETIME NOT NULL,
                        PRIMARY KEY (date, lead)
                    ) WITHOUT ROWID;
                    """)
            // Identifies this database in journal entries (KAMWATCH_INSTANCE), so that
            // recovery looks only for its own entries when several daemons share a journal.
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
                    INSERT INTO meta (key, value) VALUES ('instance', lower(hex(randomblob(16))));
                    """)
        }
        // Evidence keeps its order as a list of [name, value] pairs (`Evidence`'s Codable form);
        // v1 stored one JSON object per row, which SQLite's json_each reads in order.
        m.registerMigration("v2-evidence-pairs") { db in
            for table in ["open_alerts", "transitions"] {
                try db.execute(
                    sql: """
                        UPDATE \(table) SET evidence = (
                            SELECT coalesce(json_group_array(json_array(key, json(
                                CASE type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE json_quote(value) END
                            ))), '[]')
                            FROM (SELECT key, value, type FROM json_each(\(table).evidence) ORDER BY id)
                        ) WHERE json_type(evidence) = 'object';
                        """)
            }
        }
        // The alert's message in every language (`Alert.messages`, JSON `{"en": …, "ru": …}`), so a
        // digest is written in its own language whatever locale the daemon ran with. Rows from
        // before keep NULL: their digests show the message as it was recorded.
        m.registerMigration("v3-alert-messages") { db in
            for table in ["open_alerts", "transitions"] {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN messages TEXT")
            }
        }
        // The leads the accounts table names, as of the daemon's last evaluation, so that an
        // "all clear" digest reaches a lead whose accounts never alerted.
        m.registerMigration("v4-known-leads") { db in
            try db.execute(sql: "CREATE TABLE known_leads (lead TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID")
        }
        // `for:` and `keep_firing_for:`: alerts that hold but do not fire yet, and firing alerts
        // that stopped holding but keep firing; days are `YYYY-MM-DD`.
        m.registerMigration("v5-alert-timing") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alert_timing (
                        rule TEXT NOT NULL,
                        account_id TEXT NOT NULL,
                        pending_since TEXT,
                        not_held_since TEXT,
                        PRIMARY KEY (rule, account_id)
                    ) WITHOUT ROWID;
                    """)
        }
        // Silences, written by `kamwatch silence` while the daemon runs; a transition recorded
        // under one names it, and an open alert remembers the silence its firing was recorded
        // under until it is announced.
        m.registerMigration("v6-silences") { db in
            try db.execute(
                sql: """
                    CREATE TABLE silences (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        rule TEXT,
                        account_id TEXT,
                        until TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        created_by TEXT,
                        created_at DATETIME NOT NULL,
                        expired_at DATETIME,
                        CHECK (rule IS NOT NULL OR account_id IS NOT NULL)
                    );
                    ALTER TABLE transitions ADD COLUMN silence_id INTEGER;
                    ALTER TABLE open_alerts ADD COLUMN silenced_by INTEGER;
                    """)
        }
        // Problems with the inputs themselves (stale tables, lost columns, bad rows) that hold.
        m.registerMigration("v7-input-health") { db in
            try db.execute(
                sql: """
                    CREATE TABLE health_problems (
                        check_name TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        since DATETIME NOT NULL,
                        PRIMARY KEY (check_name, subject)
                    ) WITHOUT ROWID;
                    """)
        }
        // What the exports forget (SPEC §6 "History"): the recorded days, a row per contact
        // period (not per day) and a row per parent period (only changes make rows).
        m.registerMigration("v8-history") { db in
            try db.execute(
                sql: """
                    CREATE TABLE history_days (
                        day TEXT PRIMARY KEY NOT NULL,
                        recorded_at DATETIME NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE contact_periods (
                        contact_id TEXT NOT NULL,
                        account_id TEXT NOT NULL,
                        first_seen TEXT NOT NULL,
                        missing_from TEXT,
                        since TEXT,
                        PRIMARY KEY (contact_id, first_seen)
                    ) WITHOUT ROWID;
                    CREATE TABLE parent_periods (
                        account_id TEXT NOT NULL,
                        parent_id TEXT,
                        parent_name TEXT,
                        from_day TEXT NOT NULL,
                        to_day TEXT,
                        PRIMARY KEY (account_id, from_day)
                    ) WITHOUT ROWID;
                    """)
        }
        // A digest written with `deliver: sendmail` waits here until its command exits 0;
        // digests written before (or as plain files) have no row and are never sent.
        m.registerMigration("v9-digest-deliveries") { db in
            try db.execute(
                sql: """
                    CREATE TABLE digest_deliveries (
                        date TEXT NOT NULL,
                        lead TEXT NOT NULL,
                        path TEXT NOT NULL,
                        queued_at DATETIME NOT NULL,
                        delivered_at DATETIME,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        last_error TEXT,
                        PRIMARY KEY (date, lead),
                        FOREIGN KEY (date, lead) REFERENCES digests(date, lead)
                    ) WITHOUT ROWID;
                    CREATE INDEX digest_deliveries_pending ON digest_deliveries(date, lead)
                        WHERE delivered_at IS NULL;
                    """)
        }
        return m
    }
}
