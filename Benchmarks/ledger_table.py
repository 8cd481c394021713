#!/usr/bin/env python3
"""What the notification ledger's table costs SQLite itself, apart from Playbook.

Fills the ledger's table (the state file's schema version 5, and version 6's smaller row) the
way marking keys sent does: `INSERT ... SELECT ... FROM json_each(?)` with an upsert, one
transaction per group of keys, in WAL mode without flushing. Then looks every key up as a claim
does. Keys come either in the order the table keeps them (`e0`, `e1`, ...) or scattered over it,
as e-mail addresses are. Prints processor microseconds per key.

    python3 Benchmarks/ledger_table.py [--keys N] [--group N]
"""

import argparse
import json
import os
import random
import sqlite3
import tempfile
import time

CURRENT = """
CREATE TABLE notification_ledger (
    playbook TEXT NOT NULL, step TEXT NOT NULL, key TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('intended', 'sent', 'uncertain')),
    run_id TEXT NOT NULL, intended_at DATETIME NOT NULL, sent_at DATETIME, found_uncertain_by TEXT,
    PRIMARY KEY (playbook, step, key)
) WITHOUT ROWID;
CREATE INDEX ledger_by_finder ON notification_ledger (found_uncertain_by) WHERE found_uncertain_by IS NOT NULL;
CREATE INDEX ledger_open ON notification_ledger (run_id, state) WHERE state <> 'sent';
"""
CURRENT_MARK = """
INSERT INTO notification_ledger (playbook, step, key, state, run_id, intended_at, sent_at)
SELECT 'weekly-leads', 'welcome', value, 'sent', '20261207T045109-3f9a2c', '2026-12-07 04:51:09.123',
       '2026-12-07 04:51:09.123' FROM json_each(?) WHERE true
ON CONFLICT (playbook, step, key) DO UPDATE SET state = 'sent', run_id = excluded.run_id, sent_at = excluded.sent_at
"""
CURRENT_LOOKUP = """
SELECT l.key, l.state, l.run_id, l.sent_at FROM json_each(?) AS wanted
CROSS JOIN notification_ledger AS l ON l.playbook = 'weekly-leads' AND l.step = 'welcome' AND l.key = wanted.value
"""

# Schema 6: the playbook and step as one number (a scope), the run as a number, the state and times
# as numbers; a key sent has no time intended.
LEAN = """
CREATE TABLE ledger (
    scope INTEGER NOT NULL, key TEXT NOT NULL, state INTEGER NOT NULL, run INTEGER NOT NULL,
    intended_at INTEGER, sent_at INTEGER, found_uncertain_by INTEGER,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX ledger_open ON ledger (run, state) WHERE state <> 1;
CREATE INDEX ledger_by_finder ON ledger (found_uncertain_by) WHERE found_uncertain_by IS NOT NULL;
CREATE TABLE run_numbers (number INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE);
INSERT INTO run_numbers VALUES (7, '20261207T045109-3f9a2c');
"""
LEAN_MARK = """
INSERT INTO ledger (scope, key, state, run, sent_at)
SELECT 1, value, 1, 7, 1796617869123 FROM json_each(?) WHERE true
ON CONFLICT (scope, key) DO UPDATE SET state = 1, run = excluded.run, sent_at = excluded.sent_at
"""
LEAN_LOOKUP = """
SELECT l.key, l.state, run.run_id, l.sent_at FROM json_each(?) AS wanted
CROSS JOIN ledger AS l ON l.scope = 1 AND l.key = wanted.value
JOIN run_numbers AS run ON run.number = l.run
"""


def measure(folder, schema, mark, lookup, keys, group):
    path = os.path.join(folder, "ledger.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.executescript(schema)
    started = time.process_time()
    for start in range(0, len(keys), group):
        db.execute("BEGIN IMMEDIATE")
        db.execute(mark, (json.dumps(keys[start:start + group]),))
        db.execute("COMMIT")
    marking = time.process_time() - started
    started = time.process_time()
    for start in range(0, len(keys), group):
        found = db.execute(lookup, (json.dumps(keys[start:start + group]),)).fetchall()
        assert len(found) == len(keys[start:start + group])
    looking = time.process_time() - started
    db.close()
    return marking / len(keys) * 1e6, looking / len(keys) * 1e6


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--keys", type=int, default=100_000)
    options.add_argument("--group", type=int, default=100, help="keys per transaction (a notify group, a sync batch)")
    arguments = options.parse_args()
    generator = random.Random(11)
    in_order = sorted(f"e{index}" for index in range(arguments.keys))
    scattered = [f"person.{generator.getrandbits(48):x}@example.com" for _ in range(arguments.keys)]
    print(f"SQLite {sqlite3.sqlite_version}, {arguments.keys:,} keys, {arguments.group} per transaction, processor µs per key")
    print()
    print("| row | keys | mark sent | look up |")
    print("|---|---|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for row, (schema, mark, lookup) in [("schema 5", (CURRENT, CURRENT_MARK, CURRENT_LOOKUP)),
                                            ("schema 6", (LEAN, LEAN_MARK, LEAN_LOOKUP))]:
            for name, keys in [("in order", in_order), ("scattered", scattered)]:
                marking, looking = measure(folder, schema, mark, lookup, keys, arguments.group)
                print(f"| {row} | {name} | {marking:.1f} | {looking:.1f} |")


if __name__ == "__main__":
    main()
