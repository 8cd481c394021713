#!/usr/bin/env python3
"""The peers of `playbook-bench run`: each benchmark job done by a plain Python loop with the `json`
module and by DuckDB, and the check that every tool wrote the same records.

`playbook-bench run` starts this script once per tool and job and measures it from outside (wall
time, and the peak resident memory of the process through wait4), so the figures include the
interpreter's start-up, as Playbook's include its own.

    run_peers.py duckdb-ready                      install DuckDB with pip if missing; exit 3 if it cannot be
    run_peers.py run JOB python|duckdb DIR OUT     do JOB on the generated files in DIR, write OUT
    run_peers.py compare KEY FILE...               compare JSON Lines files as sets of records
"""

import json
import os
import subprocess
import sys

COUNTRIES = {"PL", "DE", "FR", "GB"}


# Plain Python: one record at a time, as a straightforward script would do it.

def python_contacts(folder, out):
    with open(os.path.join(folder, "contacts.jsonl"), encoding="utf-8") as source, open(out, "w", encoding="utf-8") as sink:
        for line in source:
            record = json.loads(line)
            record["email"] = record["email"].strip().lower()
            record["score"] = record["page_views"] * 2 + (10 if record["opened_last_email"] else 0)
            if record["score"] >= 80 and record["country"] in COUNTRIES:
                sink.write(json.dumps(record, separators=(",", ":")) + "\n")


def python_join(folder, out):
    accounts = {}
    with open(os.path.join(folder, "accounts.jsonl"), encoding="utf-8") as source:
        for line in source:
            account = json.loads(line)
            accounts[account["id"]] = account
    with open(os.path.join(folder, "events.jsonl"), encoding="utf-8") as source, open(out, "w", encoding="utf-8") as sink:
        for line in source:
            record = json.loads(line)
            account = accounts.get(record["account_id"])
            if account is not None:
                record["account"] = account
                sink.write(json.dumps(record, separators=(",", ":")) + "\n")


def python_aggregate(folder, out):
    groups = {}
    with open(os.path.join(folder, "events.jsonl"), encoding="utf-8") as source:
        for line in source:
            record = json.loads(line)
            group = groups.get(record["campaign"])
            amount = record["amount"]
            if group is None:
                groups[record["campaign"]] = [1, int(record["kind"] == "purchase"), record["quantity"], amount, amount]
            else:
                group[0] += 1
                group[1] += record["kind"] == "purchase"
                group[2] += record["quantity"]
                group[3] = min(group[3], amount)
                group[4] = max(group[4], amount)
    with open(out, "w", encoding="utf-8") as sink:
        for campaign, (events, purchases, quantity, smallest, largest) in groups.items():
            sink.write(json.dumps({
                "campaign": campaign, "events": events, "purchases": purchases, "quantity": quantity,
                "avg_quantity": quantity / events, "smallest": smallest, "largest": largest,
            }, separators=(",", ":")) + "\n")


def python_dedupe(folder, out):
    seen = set()
    with open(os.path.join(folder, "contacts.jsonl"), encoding="utf-8") as source, open(out, "w", encoding="utf-8") as sink:
        for line in source:
            record = json.loads(line)
            record["email"] = record["email"].strip().lower()
            if record["email"] not in seen:
                seen.add(record["email"])
                sink.write(json.dumps(record, separators=(",", ":")) + "\n")


# DuckDB: the same jobs in SQL, on two threads (the reference machine has two cores). Timestamps are
# read as timestamps, as the playbooks declare them; the comparison reads any timestamp text. Column
# names are quoted because `at` is a keyword.

CONTACT_COLUMNS = (
    "{'id': 'BIGINT', 'email': 'VARCHAR', 'first_name': 'VARCHAR', 'last_name': 'VARCHAR', 'country': 'VARCHAR', "
    "'page_views': 'BIGINT', 'opened_last_email': 'BOOLEAN', 'tags': 'VARCHAR[]', 'revenue': 'DOUBLE', 'updated_at': 'TIMESTAMP'}"
)
EVENT_COLUMNS = (
    "{'id': 'BIGINT', 'account_id': 'BIGINT', 'campaign': 'VARCHAR', 'kind': 'VARCHAR', 'quantity': 'BIGINT', "
    "'amount': 'DOUBLE', 'at': 'TIMESTAMP'}"
)
ACCOUNT_COLUMNS = "{'id': 'BIGINT', 'name': 'VARCHAR', 'plan': 'VARCHAR', 'country': 'VARCHAR', 'seats': 'BIGINT'}"


def read_json(folder, name, columns):
    path = os.path.join(folder, name).replace("'", "''")
    return f"read_json('{path}', format = 'newline_delimited', columns = {columns})"


def duckdb_query(job, folder):
    if job == "contacts":
        return f"""
            SELECT * FROM (
                SELECT id, lower(trim(email)) AS email, first_name, last_name, country, page_views, opened_last_email,
                       tags, revenue, updated_at, page_views * 2 + CASE WHEN opened_last_email THEN 10 ELSE 0 END AS score
                FROM {read_json(folder, "contacts.jsonl", CONTACT_COLUMNS)}
            ) WHERE score >= 80 AND country IN ('PL', 'DE', 'FR', 'GB')"""
    if job == "join":
        return f"""
            SELECT e.*, struct_pack(id := a.id, name := a.name, plan := a.plan, country := a.country, seats := a.seats) AS account
            FROM {read_json(folder, "events.jsonl", EVENT_COLUMNS)} e
            JOIN {read_json(folder, "accounts.jsonl", ACCOUNT_COLUMNS)} a ON e.account_id = a.id"""
    if job == "aggregate":
        return f"""
            SELECT campaign, count(*) AS events, count(*) FILTER (WHERE kind = 'purchase') AS purchases,
                   sum(quantity) AS quantity, avg(quantity) AS avg_quantity, min(amount) AS smallest, max(amount) AS largest
            FROM {read_json(folder, "events.jsonl", EVENT_COLUMNS)}
            GROUP BY campaign"""
    if job == "dedupe":
        return f"""
            SELECT * FROM (
                SELECT id, lower(trim(email)) AS email, first_name, last_name, country, page_views, opened_last_email,
                       tags, revenue, updated_at
                FROM {read_json(folder, "contacts.jsonl", CONTACT_COLUMNS)}
            ) QUALIFY row_number() OVER (PARTITION BY email ORDER BY id) = 1"""
    raise SystemExit(f"unknown job {job}")


def duckdb_run(job, folder, out):
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET threads = 2")
    target = out.replace("'", "''")
    connection.execute(f"COPY ({duckdb_query(job, folder)}) TO '{target}' (FORMAT json)")


def duckdb_ready():
    try:
        import duckdb  # noqa: F401
    except ImportError:
        print("DuckDB is not installed for this Python; installing it with pip…", flush=True)
        installed = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "duckdb"]).returncode == 0
        if not installed:
            print("could not install DuckDB (pip install duckdb failed): the DuckDB figures are skipped")
            return 3
    import duckdb

    print(f"DuckDB {duckdb.__version__}, Python {sys.version.split()[0]}")
    return 0


# The comparison: every file must hold the same records, whatever their order and formatting.

def normalised(value):
    """A value in one form for every tool: integral numbers as ints (numbers compare numerically,
    and a double must be equal exactly), timestamp text as one UTC text, objects with sorted keys."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, str):
        return normalised_timestamp(value)
    if isinstance(value, list):
        return [normalised(item) for item in value]
    if isinstance(value, dict):
        return {name: normalised(item) for name, item in value.items()}
    return value


def normalised_timestamp(text):
    # Only text shaped like a date and time is read as one: "2025-03-14T09:26:53Z", "2025-03-14 09:26:53".
    if len(text) < 19 or text[4] != "-" or text[7] != "-" or text[10] not in "T " or text[13] != ":":
        return text
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


def canonical(record):
    return json.dumps(normalised(record), sort_keys=True, separators=(",", ":"))


def first_difference(left, right):
    left, right = normalised(left), normalised(right)
    for name in sorted(set(left) | set(right)):
        if name not in right:
            return f"field '{name}' only in the first: {json.dumps(left[name])}"
        if name not in left:
            return f"field '{name}' only in the second: {json.dumps(right[name])}"
        if left[name] != right[name] or type(left[name]) is not type(right[name]):
            return f"field '{name}': {json.dumps(left[name])} and {json.dumps(right[name])}"
    return "the same fields and values"


def keyed_records(path, key):
    """The file's records by key, each as its canonical text (far smaller than the parsed object)."""
    records = {}
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            if key not in record:
                raise ValueError(f"{path} line {number} has no field '{key}': {line.strip()[:200]}")
            identity = json.dumps(normalised(record[key]))
            if identity in records:
                raise ValueError(f"{path} holds two records with {key} {identity}")
            records[identity] = canonical(record)
    return records


def compare(key, paths):
    """Exit status 0 when every file holds the records of the first, 1 with the first difference."""
    reference_path, others = paths[0], paths[1:]
    try:
        reference = keyed_records(reference_path, key)
        for path in others:
            other = keyed_records(path, key)
            for identity, text in reference.items():
                if identity not in other:
                    print(f"DIFFERENT: {key} {identity} is in {reference_path} but not in {path}")
                    return 1
                if other[identity] != text:
                    print(f"DIFFERENT: the records with {key} {identity} differ in {reference_path} and {path}: "
                          + first_difference(json.loads(text), json.loads(other[identity])))
                    return 1
            if len(other) != len(reference):
                extra = next(identity for identity in other if identity not in reference)
                print(f"DIFFERENT: {key} {extra} is in {path} but not in {reference_path}")
                return 1
    except (ValueError, OSError) as problem:
        print(f"DIFFERENT: {problem}")
        return 1
    print(f"same records: {len(reference):,} in each of the {len(paths)} outputs")
    return 0


def main(arguments):
    if arguments[:1] == ["duckdb-ready"]:
        return duckdb_ready()
    if arguments[:1] == ["run"] and len(arguments) == 5:
        job, tool, folder, out = arguments[1:]
        if tool == "python":
            globals()[f"python_{job}"](folder, out)
        elif tool == "duckdb":
            duckdb_run(job, folder, out)
        else:
            raise SystemExit(f"unknown tool {tool}")
        return 0
    if arguments[:1] == ["compare"] and len(arguments) >= 4:
        return compare(arguments[1], arguments[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
