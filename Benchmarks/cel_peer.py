#!/usr/bin/env python3
"""Times CEL expressions on the Rust implementation of CEL (PyPI `common-expression-language`).

`playbook-bench cel --peer` runs this script and prints its figures beside its own. The variables
below are the ones `Sources/playbook-bench/CELBenchmark.swift` evaluates with; keep them the same.

    python3 Benchmarks/cel_peer.py 'first_name + " " + last_name' 'score > 50'
    echo '[{"name": "full_name", "expr": "first_name + \\" \\" + last_name"}]' | python3 Benchmarks/cel_peer.py --json

Each expression is compiled once, then evaluated in rounds of about 50 ms; the best round counts.
The cost of a call from Python (evaluating the program `1` in the same context) is subtracted, so
the figure is the Rust interpreter's own time per evaluation.
"""

import datetime
import json
import sys
import time

try:
    import cel
    from cel import stdlib
except ImportError:
    sys.exit("cel_peer.py: the Rust CEL package is missing; install it with `pip install common-expression-language`")

ROUNDS = 7
ROUND_SECONDS = 0.05


def context():
    """The benchmark's variables, with the extension functions (`lowerAscii`…) cel-go has built in."""
    ctx = cel.Context()
    stdlib.add_stdlib_to_context(ctx)
    variables = {
        "lead": {
            "score": 91, "country": "DE", "created_at": "2024-06-01T08:30:00Z", "phone": "+48601234567",
            "utm": {"source": "google", "medium": "cpc"},
        },
        "contact": {"email": "Ann.Smith@Example.com", "tags": ["new", "b2b", "vip"]},
        "events": [{"type": "open" if i % 3 == 0 else "click", "id": f"e{i}"} for i in range(12)],
        "visits": 7.0, "first_name": "Ann", "last_name": "Smith", "score": 64,
        "now": datetime.datetime(2024, 6, 1, 12, 0, 0, tzinfo=datetime.timezone.utc),
        "domain_pattern": "(?i)@example\\.com$",
    }
    for name, value in variables.items():
        ctx.add_variable(name, value)
    return ctx


def best_time(program, ctx):
    """Nanoseconds per `program.execute(ctx)` call, best of several rounds."""
    start = time.perf_counter_ns()
    program.execute(ctx)
    iterations = max(1, int(ROUND_SECONDS * 1e9 / max(1, time.perf_counter_ns() - start)))
    # Calibrate on a warm round, then time.
    start = time.perf_counter_ns()
    for _ in range(iterations):
        program.execute(ctx)
    iterations = max(1, int(iterations * ROUND_SECONDS * 1e9 / max(1, time.perf_counter_ns() - start)))
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            program.execute(ctx)
        best = min(best, (time.perf_counter_ns() - start) / iterations)
    return best


def plain(value):
    """The result as JSON can carry it, for comparing with the Swift side's."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def main():
    as_json = "--json" in sys.argv[1:]
    if as_json:
        cases = json.load(sys.stdin)
    else:
        cases = [{"name": source, "expr": source} for source in sys.argv[1:]]
        if not cases:
            sys.exit(__doc__)
    ctx = context()
    overhead = best_time(cel.compile("1"), ctx)
    if as_json:
        print(json.dumps({"name": "(call overhead)", "ns": overhead}), flush=True)
    else:
        print(f"call overhead (program `1`): {overhead:.1f} ns")
    for case in cases:
        try:
            program = cel.compile(case["expr"])
            result = plain(program.execute(ctx))
            total = best_time(program, ctx)
            row = {"name": case["name"], "ns": total - overhead, "result": result}
        except Exception as error:  # the peer lacks a function or rejects the expression
            row = {"name": case["name"], "error": f"{type(error).__name__}: {error}"}
        if as_json:
            print(json.dumps(row), flush=True)
        elif "error" in row:
            print(f"{case['name']}: {row['error']}")
        else:
            print(f"{row['ns']:10.1f} ns  {case['name']}  = {row['result']!r}")


if __name__ == "__main__":
    main()
