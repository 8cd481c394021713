import GRDB

/// The state file's tables, one migration per schema version. A released migration is never changed:
/// a new version adds a migration.
enum Schema {
    /// The newest version this build reads and writes.
    static let currentVersion = 7

    /// Marks a state file in its header (`PRAGMA application_id`), so another program's database is told apart.
    static let applicationID: Int32 = 0x504C_424B  // "PLBK"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: version1)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: version2)
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        migrator.registerMigration("v3") { db in
            try db.execute(sql: version3)
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        migrator.registerMigration("v4") { db in
            try db.execute(sql: version4)
            try db.execute(sql: "PRAGMA user_version = 4")
        }
        migrator.registerMigration("v5") { db in
            try db.execute(sql: version5)
            try db.execute(sql: "PRAGMA user_version = 5")
        }
        migrator.registerMigration("v6") { db in
            try db.execute(sql: version6)
            try db.execute(sql: "PRAGMA user_version = 6")
        }
        migrator.registerMigration("v7") { db in
            try db.execute(sql: version7)
            try db.execute(sql: "PRAGMA user_version = 7")
        }
        return migrator
    }

    private static let version1 = """
        PRAGMA application_id = \(applicationID);

        CREATE TABLE runs (
            id TEXT PRIMARY KEY NOT NULL,
            playbook TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            params TEXT NOT NULL CHECK (json_valid(params)),
            trigger_kind TEXT NOT NULL,
            trigger_details TEXT NOT NULL CHECK (json_valid(trigger_details)),
            status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
            started_at DATETIME NOT NULL,
            finished_at DATETIME,
            summary TEXT CHECK (summary IS NULL OR json_valid(summary)),
            owner_pid INTEGER NOT NULL,
            owner_host TEXT NOT NULL,
            heartbeat_at DATETIME NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX runs_by_playbook ON runs (playbook, started_at);
        CREATE INDEX runs_by_status ON runs (status);

        CREATE TABLE step_results (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'skipped', 'cancelled')),
            records_in INTEGER NOT NULL,
            records_out INTEGER NOT NULL,
            records_skipped INTEGER NOT NULL,
            calls INTEGER NOT NULL,
            error TEXT,
            started_at DATETIME,
            finished_at DATETIME,
            PRIMARY KEY (run_id, step)
        ) WITHOUT ROWID;

        CREATE TABLE dead_letters (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            record TEXT NOT NULL CHECK (json_valid(record)),
            reason TEXT NOT NULL,
            location TEXT,
            added_at DATETIME NOT NULL,
            retried_by TEXT REFERENCES runs (id) ON DELETE SET NULL,
            retried_at DATETIME
        );
        CREATE INDEX dead_letters_by_run ON dead_letters (run_id, id);

        CREATE TABLE cursors (
            playbook TEXT NOT NULL,
            step TEXT NOT NULL,
            value TEXT NOT NULL CHECK (json_valid(value)),
            run_id TEXT NOT NULL,
            committed_at DATETIME NOT NULL,
            PRIMARY KEY (playbook, step)
        ) WITHOUT ROWID;

        CREATE TABLE cursor_keys (
            playbook TEXT NOT NULL,
            step TEXT NOT NULL,
            key TEXT NOT NULL,
            PRIMARY KEY (playbook, step, key),
            FOREIGN KEY (playbook, step) REFERENCES cursors (playbook, step) ON DELETE CASCADE
        ) WITHOUT ROWID;

        CREATE TABLE notification_ledger (
            playbook TEXT NOT NULL,
            step TEXT NOT NULL,
            key TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('intended', 'sent', 'uncertain')),
            run_id TEXT NOT NULL,
            intended_at DATETIME NOT NULL,
            sent_at DATETIME,
            found_uncertain_by TEXT,
            PRIMARY KEY (playbook, step, key)
        ) WITHOUT ROWID;
        CREATE INDEX ledger_by_run ON notification_ledger (run_id, state);
        CREATE INDEX ledger_by_finder ON notification_ledger (found_uncertain_by) WHERE found_uncertain_by IS NOT NULL;

        CREATE TABLE sync_batches (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            idempotency_key TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('intended', 'acknowledged', 'uncertain')),
            record_count INTEGER NOT NULL,
            intended_at DATETIME NOT NULL,
            acknowledged_at DATETIME,
            PRIMARY KEY (run_id, step, sequence)
        ) WITHOUT ROWID;

        CREATE TABLE checkpoints (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            position TEXT NOT NULL CHECK (json_valid(position)),
            saved_at DATETIME NOT NULL,
            PRIMARY KEY (run_id, step)
        ) WITHOUT ROWID;

        CREATE TABLE playbook_locks (
            playbook TEXT PRIMARY KEY NOT NULL,
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            acquired_at DATETIME NOT NULL
        ) WITHOUT ROWID;
        """

    /// The pages a run's fetch steps read, kept until the run (or a later run of its playbook)
    /// succeeds, so that a resumed run passes them on again without reading them from the platform.
    private static let version2 = """
        CREATE TABLE fetch_pages (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            records TEXT NOT NULL CHECK (json_valid(records)),
            PRIMARY KEY (run_id, step, sequence)
        ) WITHOUT ROWID;
        """

    /// `playbook serve`'s bookkeeping: webhook requests stored before they are answered (one per
    /// event id and path, so that a request sent again is known), and when each schedule last fired.
    private static let version3 = """
        CREATE TABLE webhook_events (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            playbook TEXT NOT NULL,
            event_id TEXT NOT NULL,
            headers TEXT NOT NULL CHECK (json_valid(headers)),
            body BLOB NOT NULL,
            received_at DATETIME NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done')),
            run_id TEXT,
            UNIQUE (path, event_id)
        );
        CREATE INDEX webhook_events_open ON webhook_events (status) WHERE status <> 'done';

        CREATE TABLE schedule_fires (
            playbook TEXT NOT NULL,
            schedule TEXT NOT NULL,
            fired_at DATETIME NOT NULL,
            PRIMARY KEY (playbook, schedule)
        ) WITHOUT ROWID;
        """

    /// The ledger's index by run holds only the keys still open (intended or uncertain): a key
    /// marked sent leaves it, where every key used to stay in it with its state. Most keys end
    /// sent, so claiming and marking a key cost fewer index writes, and the index stays as small
    /// as what is in flight. A query uses it only when it repeats the index's condition
    /// (`state <> 'sent'`), as SQLite requires of a partial index.
    private static let version4 = """
        DROP INDEX ledger_by_run;
        CREATE INDEX ledger_open ON notification_ledger (run_id, state) WHERE state <> 'sent';
        """

    /// A notification key used to be written twice: as intended when claimed, then rewritten as
    /// sent. The keys a claim takes afresh are now recorded together, one row per claim, until each
    /// is sent (a row of its own in `notification_ledger`, written once), given up (taken out of
    /// the claim), or left unanswered (a row of its own, uncertain). Intended rows of earlier
    /// versions are still read as they were.
    private static let version5 = """
        CREATE TABLE ledger_intents (
            id INTEGER PRIMARY KEY,
            playbook TEXT NOT NULL,
            step TEXT NOT NULL,
            run_id TEXT NOT NULL,
            keys TEXT NOT NULL CHECK (json_valid(keys)),
            intended_at DATETIME NOT NULL
        );
        CREATE INDEX ledger_intents_by_step ON ledger_intents (playbook, step, run_id);
        """

    /// A ledger row used to name its playbook, step and run in full, and its state and times as
    /// text: about 150 bytes, most of them the same in every row of a step. Now a row holds the key
    /// and numbers (its step's scope, its run's number, its state, times in milliseconds since
    /// 1970), about a third of the size, so that marking keys sent writes fewer pages of the file:
    /// about 2.5 times cheaper for keys in order and half for keys scattered over the ledger, as
    /// e-mail addresses are (`Benchmarks/ledger_table.py`). The state has no CHECK constraint:
    /// checking it cost as much again as writing the row; the store reads a number it does not know
    /// as damage. Open claims name their scope and run the same way. The view
    /// `notification_ledger` shows the ledger as it was, for reading.
    private static let version6 = """
        CREATE TABLE ledger_scopes (
            id INTEGER PRIMARY KEY,
            playbook TEXT NOT NULL,
            step TEXT NOT NULL,
            UNIQUE (playbook, step)
        );
        CREATE TABLE run_numbers (
            number INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL UNIQUE
        );
        INSERT INTO ledger_scopes (playbook, step)
            SELECT playbook, step FROM notification_ledger UNION SELECT playbook, step FROM ledger_intents;
        INSERT INTO run_numbers (run_id)
            SELECT run_id FROM notification_ledger
            UNION SELECT found_uncertain_by FROM notification_ledger WHERE found_uncertain_by IS NOT NULL
            UNION SELECT run_id FROM ledger_intents;

        CREATE TABLE ledger (
            scope INTEGER NOT NULL,
            key TEXT NOT NULL,
            state INTEGER NOT NULL,
            run INTEGER NOT NULL,
            intended_at INTEGER,
            sent_at INTEGER,
            found_uncertain_by INTEGER,
            PRIMARY KEY (scope, key)
        ) WITHOUT ROWID;
        INSERT INTO ledger (scope, key, state, run, intended_at, sent_at, found_uncertain_by)
            SELECT scope.id, old.key, CASE old.state WHEN 'intended' THEN 0 WHEN 'sent' THEN 1 ELSE 2 END, run.number,
                   CAST(strftime('%s', old.intended_at) AS INTEGER) * 1000 + CAST(substr(strftime('%f', old.intended_at), 4) AS INTEGER),
                   CAST(strftime('%s', old.sent_at) AS INTEGER) * 1000 + CAST(substr(strftime('%f', old.sent_at), 4) AS INTEGER),
                   finder.number
            FROM notification_ledger AS old
            JOIN ledger_scopes AS scope ON scope.playbook = old.playbook AND scope.step = old.step
            JOIN run_numbers AS run ON run.run_id = old.run_id
            LEFT JOIN run_numbers AS finder ON finder.run_id = old.found_uncertain_by;
        DROP TABLE notification_ledger;
        CREATE INDEX ledger_open ON ledger (run, state) WHERE state <> 1;
        CREATE INDEX ledger_by_finder ON ledger (found_uncertain_by) WHERE found_uncertain_by IS NOT NULL;

        CREATE TABLE ledger_claims (
            id INTEGER PRIMARY KEY,
            scope INTEGER NOT NULL,
            run INTEGER NOT NULL,
            keys TEXT NOT NULL CHECK (json_valid(keys)),
            intended_at INTEGER NOT NULL
        );
        INSERT INTO ledger_claims (id, scope, run, keys, intended_at)
            SELECT intent.id, scope.id, run.number, intent.keys,
                   CAST(strftime('%s', intent.intended_at) AS INTEGER) * 1000 + CAST(substr(strftime('%f', intent.intended_at), 4) AS INTEGER)
            FROM ledger_intents AS intent
            JOIN ledger_scopes AS scope ON scope.playbook = intent.playbook AND scope.step = intent.step
            JOIN run_numbers AS run ON run.run_id = intent.run_id;
        DROP TABLE ledger_intents;
        CREATE INDEX ledger_claims_by_scope ON ledger_claims (scope, run);

        CREATE VIEW notification_ledger AS
            SELECT scope.playbook, scope.step, ledger.key,
                   CASE ledger.state WHEN 0 THEN 'intended' WHEN 1 THEN 'sent' ELSE 'uncertain' END AS state,
                   run.run_id,
                   strftime('%Y-%m-%d %H:%M:%S.', coalesce(ledger.intended_at, ledger.sent_at) / 1000, 'unixepoch')
                       || printf('%03d', coalesce(ledger.intended_at, ledger.sent_at) % 1000) AS intended_at,
                   strftime('%Y-%m-%d %H:%M:%S.', ledger.sent_at / 1000, 'unixepoch') || printf('%03d', ledger.sent_at % 1000) AS sent_at,
                   finder.run_id AS found_uncertain_by
            FROM ledger
            JOIN ledger_scopes AS scope ON scope.id = ledger.scope
            JOIN run_numbers AS run ON run.number = ledger.run
            LEFT JOIN run_numbers AS finder ON finder.number = ledger.found_uncertain_by;
        """

    /// A row per key made every key sent cost a row written in the ledger's order (about 1 µs for
    /// keys in order, several for keys scattered, as e-mail addresses are), and every claim a
    /// lookup per key: a run whose every record goes through the ledger took twice as long as
    /// without it. Now the keys claimed together stay together, one row per group with its keys
    /// as a JSON array, from the claim to the end: marking them sent changes the group's state.
    /// Which group holds a key is found through an index each store keeps in memory (read from
    /// this table, groups in the order of their ids, which only grow: AUTOINCREMENT). A key is in
    /// at most one group of its step; a key that moves (found uncertain, sent again, marked on its
    /// own) moves to a new group. The view `notification_ledger` shows one row per key, as before.
    private static let version7 = """
        CREATE TABLE ledger_groups (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            scope INTEGER NOT NULL,
            run INTEGER NOT NULL,
            state INTEGER NOT NULL,
            keys TEXT NOT NULL,
            intended_at INTEGER,
            sent_at INTEGER,
            found_uncertain_by INTEGER
        );
        INSERT INTO ledger_groups (scope, run, state, keys, intended_at, sent_at, found_uncertain_by)
            SELECT scope, run, state, json_group_array(key), intended_at, sent_at, found_uncertain_by
            FROM (SELECT * FROM ledger ORDER BY scope, run, state, key)
            GROUP BY scope, run, state, intended_at, sent_at, found_uncertain_by;
        INSERT INTO ledger_groups (scope, run, state, keys, intended_at)
            SELECT scope, run, 0, keys, intended_at FROM ledger_claims ORDER BY id;
        DROP VIEW notification_ledger;
        DROP TABLE ledger;
        DROP TABLE ledger_claims;
        CREATE INDEX ledger_groups_by_scope ON ledger_groups (scope, id);
        CREATE INDEX ledger_groups_open ON ledger_groups (run, state) WHERE state <> 1;
        CREATE INDEX ledger_groups_by_finder ON ledger_groups (found_uncertain_by) WHERE found_uncertain_by IS NOT NULL;

        CREATE VIEW notification_ledger AS
            SELECT scope.playbook, scope.step, key.value AS key,
                   CASE groups.state WHEN 0 THEN 'intended' WHEN 1 THEN 'sent' ELSE 'uncertain' END AS state,
                   run.run_id,
                   strftime('%Y-%m-%d %H:%M:%S.', coalesce(groups.intended_at, groups.sent_at) / 1000, 'unixepoch')
                       || printf('%03d', coalesce(groups.intended_at, groups.sent_at) % 1000) AS intended_at,
                   strftime('%Y-%m-%d %H:%M:%S.', groups.sent_at / 1000, 'unixepoch') || printf('%03d', groups.sent_at % 1000) AS sent_at,
                   finder.run_id AS found_uncertain_by
            FROM ledger_groups AS groups
            CROSS JOIN json_each(groups.keys) AS key
            JOIN ledger_scopes AS scope ON scope.id = groups.scope
            JOIN run_numbers AS run ON run.number = groups.run
            LEFT JOIN run_numbers AS finder ON finder.number = groups.found_uncertain_by;
        """
}
