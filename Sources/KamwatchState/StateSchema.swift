import Foundation
import GRDB

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
        return m
    }
}
