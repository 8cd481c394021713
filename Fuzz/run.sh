#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer and AddressSanitizer, seeds each corpus from the examples
# and the conformance suites, and runs every target (or the ones named) for SECONDS each.
#
#   Fuzz/run.sh [--seconds N | --runs N] [TARGET…]
#       TARGET: FuzzYAML FuzzPlaybook FuzzCELCheck FuzzCELEval FuzzTemplate FuzzRecordFile (all when none is named)
#       --runs N runs N inputs per target from a fixed seed, so a run can be repeated exactly (CI).
#
# A crash, a failed check or an input slower than 10 s stops that target with exit status 1 and
# leaves the input in Fuzz/.build/artifacts. Corpora grow in Fuzz/.build/corpus between runs.
set -euo pipefail
cd "$(dirname "$0")"
seconds=30
runs=""
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(FuzzYAML FuzzPlaybook FuzzCELCheck FuzzCELEval FuzzTemplate FuzzRecordFile)

# --sanitize=fuzzer makes SwiftPM leave `main` to libFuzzer; the -Xswiftc form adds AddressSanitizer
# (two separate -sanitize= flags would not combine).
mkdir -p .build
if ! swift build --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address >.build/build.log 2>&1; then
    grep -v "Cannot export local symbol" .build/build.log | tail -n 30
    exit 2
fi
bin=$(swift build --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address --show-bin-path)

shared=../../shared/conformance
python3 seed.py --shared "$shared" --playbooks ../playbooks --out .build/corpus

mkdir -p .build/artifacts
status=0
for target in "${targets[@]}"; do
    log=.build/$target.log
    set +e
    if [ -n "$runs" ]; then limit=(-runs="$runs" -seed=1); else limit=(-max_total_time="$seconds"); fi
    ASAN_OPTIONS=detect_leaks=0 "$bin/$target" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix=.build/artifacts/"$target"- .build/corpus/"$target" >"$log" 2>&1
    code=$?
    set -e
    done_runs=$(grep -Eo '^Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' || echo 0)
    done_seconds=$(grep -Eo '^Done [0-9]+ runs in [0-9]+ second' "$log" | grep -Eo '[0-9]+ second' | grep -Eo '[0-9]+' || echo "$seconds")
    coverage=$(grep -Eo 'DONE +cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -n 1 | sed -E 's/DONE +//')
    if [ $code -eq 0 ]; then
        echo "$target: $done_runs inputs in ${done_seconds}s without a crash ($coverage)"
    else
        echo "$target: FAILED (exit $code); the input is in Fuzz/.build/artifacts, the log in Fuzz/$log:"
        grep -E "ERROR|Fatal error|Precondition failed|SUMMARY|timeout" "$log" | head -n 5
        status=1
    fi
done
exit $status
