#!/usr/bin/env python3
"""What one batch of an insert costs SQLite in the ledger, apart from Playbook.

Replays, with the state file's schema (version 6) and statements, what a `sync` with
`mode: insert` asks of the ledger for each batch: in one transaction, mark the previous batch's keys
written and close its claim, look the new batch's keys up (in the ledger and among open claims),
and record the new claim. Keys come in the ledger's order, as ids do. Prints processor
microseconds per key for each statement.

    python3 Benchmarks/ledger_batch.py [--batches N] [--batch-size N]
"""

import argparse
import json
import os
import sqlite3
import tempfile
import time

from ledger_table import LEAN, LEAN_LOOKUP, LEAN_MARK

# The ledger of schema version 6 (scope 1, run 7), with its table of open claims.
SCHEMA = LEAN + """
CREATE TABLE ledger_claims (
    id INTEGER PRIMARY KEY, scope INTEGER NOT NULL, run INTEGER NOT NULL,
    keys TEXT NOT NULL CHECK (json_valid(keys)), intended_at INTEGER NOT NULL
);
CREATE INDEX ledger_claims_by_scope ON ledger_claims (scope, run);
"""

STATEMENTS = {
    "mark written": LEAN_MARK,
    "close claim": "DELETE FROM ledger_claims WHERE scope = 1 AND run = 7 AND keys = ?",
    "look up": LEAN_LOOKUP,
    "open claims": """
        SELECT claimed.value, run.run_id FROM ledger_claims AS intent CROSS JOIN json_each(intent.keys) AS claimed
        JOIN run_numbers AS run ON run.number = intent.run
        WHERE intent.scope = 1 AND claimed.value IN (SELECT value FROM json_each(?))""",
    "claim": "INSERT INTO ledger_claims (scope, run, keys, intended_at) VALUES (1, 7, ?, ?)",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=1024)
    options = parser.parse_args()

    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "state.sqlite")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.executescript(SCHEMA)
    spent = {name: 0.0 for name in list(STATEMENTS) + ["commit"]}

    def timed(name, arguments):
        start = time.process_time()
        db.execute(STATEMENTS[name], arguments).fetchall()
        spent[name] += time.process_time() - start

    now = 1_765_000_000_000
    previous = None
    for batch in range(options.batches):
        first = batch * options.batch_size + 1
        keys = json.dumps([str(first + offset) for offset in range(options.batch_size)])
        db.execute("BEGIN IMMEDIATE")
        if previous:
            timed("mark written", (previous,))
            timed("close claim", (previous,))
        timed("look up", (keys,))
        timed("open claims", (keys,))
        timed("claim", (keys, now))
        start = time.process_time()
        db.execute("COMMIT")
        spent["commit"] += time.process_time() - start
        previous = keys

    count = options.batches * options.batch_size
    print(f"SQLite {sqlite3.sqlite_version}, {options.batches} batches of {options.batch_size} keys in order")
    for name, seconds in spent.items():
        print(f"  {name:13} {seconds / count * 1e6:5.2f} µs per key")
    print(f"  {'all':13} {sum(spent.values()) / count * 1e6:5.2f} µs per key (processor)")
    db.close()
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    os.rmdir(folder)


if __name__ == "__main__":
    main()
