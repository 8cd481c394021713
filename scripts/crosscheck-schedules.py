#!/usr/bin/env python3
"""Compare the fire times of `playbook schedule` with croniter, an independent cron implementation.

Generates cron schedules that use every syntax feature, in several time zones, with start times
spread over the years and bunched around daylight-saving changes, all from a fixed seed. Asks the
built `playbook` binary for the next fire times of every case in one process (`playbook schedule
--jsonl`) and croniter for the same, then compares them.

Where the two disagree, each differing fire time must be one of the deliberate differences in
docs/schedules.md ("Compared with croniter"): this script checks the rule that explains it against
the zone's own clock (Python's zoneinfo) and counts it by category. Any other disagreement is printed
and makes the script exit with status 1.

Needs croniter from PyPI (`pip install croniter`, which brings python-dateutil); installs nothing.

    scripts/crosscheck-schedules.py [--binary .build/debug/playbook] [--cases 4000] [--seed 2026]
"""

import argparse
import collections
import datetime
import json
import pathlib
import random
import subprocess
import sys
import time
import zoneinfo

try:
    from croniter import CroniterBadDateError, croniter
except ImportError:
    sys.exit("this check needs croniter: pip install croniter")

ZONES = [
    "UTC", "Europe/Warsaw", "Europe/London", "America/New_York", "America/Los_Angeles",
    "America/Sao_Paulo", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata",
    "Pacific/Auckland", "Europe/Moscow",
]
# Years whose rules both time zone databases agree on (São Paulo kept DST until 2019, Moscow
# changed its standard time in 2011 and 2014).
FIRST_YEAR, LAST_YEAR = 2005, 2035
FIRES_PER_CASE = 8
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
MACROS = ["@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually"]

# Categories of deliberate difference, as docs/schedules.md names them.
CATEGORIES = {
    "real-time-gap-end": "a real-time minute skipped by a spring-forward change: croniter runs it at the end of the gap, playbook does not run it",
    "real-time-second-pass": "a real-time minute repeated by a fall-back change: playbook runs both passes, croniter one",
    "fixed-time-second-pass": "a fixed time of day repeated by a fall-back change: croniter also runs the second pass, playbook only the first",
}


# ---------------------------------------------------------------- generating cases

def field(rng, low, high, names=None, hot=None):
    """One field: a star, a step, a value, a range, a range with a step, a list or `a/n`."""
    def value():
        number = rng.choice(hot) if hot and rng.random() < 0.5 else rng.randint(low, high)
        if names and rng.random() < 0.5:
            name = names[number - low]
            return rng.choice([name, name.lower(), name.capitalize()])
        return str(number)

    kind = rng.randrange(8)
    if kind == 0:
        return "*"
    if kind == 1:
        return f"*/{rng.randint(2, max(2, (high - low + 1) // 2))}"
    if kind == 2:
        return value()
    if kind == 3:
        start = rng.randint(low, high - 1)
        return f"{start}-{rng.randint(start + 1, high)}"
    if kind == 4:
        start = rng.randint(low, high - 2)
        return f"{start}-{rng.randint(start + 2, high)}/{rng.randint(2, 3)}"
    if kind == 5:
        return ",".join(value() for _ in range(rng.randint(2, 4)))
    if kind == 6:
        return f"{rng.randint(low, high)}/{rng.randint(2, max(2, (high - low + 1) // 3))}"
    return value()


def schedule(rng):
    if rng.random() < 0.08:
        return rng.choice(MACROS)
    # Hours around the clock changes (midnight in São Paulo, 01:00–03:00 elsewhere) come up often.
    minute = field(rng, 0, 59, hot=[0, 15, 30, 45, 59])
    hour = field(rng, 0, 23, hot=[0, 1, 2, 3, 23])
    day = field(rng, 1, 31, hot=[1, 15, 29, 30, 31]) if rng.random() < 0.3 else "*"
    month = field(rng, 1, 12, MONTHS) if rng.random() < 0.3 else "*"
    if rng.random() < 0.3:
        weekday = field(rng, 0, 6, DAYS)
        # Sunday as 7, and a range ending on Sunday by name.
        weekday = rng.choice([weekday, weekday, "7", "FRI-SUN", "5-7"])
    else:
        weekday = "*"
    return f"{minute} {hour} {day} {month} {weekday}"


def transitions(zone):
    """Instants (Unix seconds) at which the zone's offset changes in the checked years."""
    tz = zoneinfo.ZoneInfo(zone)
    found = []
    start = int(datetime.datetime(FIRST_YEAR, 1, 1, tzinfo=datetime.timezone.utc).timestamp())
    end = int(datetime.datetime(LAST_YEAR, 1, 1, tzinfo=datetime.timezone.utc).timestamp())
    step = 6 * 3600
    previous = offset(tz, start)
    for moment in range(start + step, end, step):
        current = offset(tz, moment)
        if current != previous:
            low, high = moment - step, moment
            while high - low > 1:
                middle = (low + high) // 2
                if offset(tz, middle) == previous:
                    low = middle
                else:
                    high = middle
            found.append(high)
            previous = current
    return found


def offset(tz, instant):
    return int(datetime.datetime.fromtimestamp(instant, tz).utcoffset().total_seconds())


def cases(rng, count):
    changes = {zone: transitions(zone) for zone in ZONES}
    first = int(datetime.datetime(FIRST_YEAR + 1, 1, 1, tzinfo=datetime.timezone.utc).timestamp())
    last = int(datetime.datetime(LAST_YEAR - 2, 1, 1, tzinfo=datetime.timezone.utc).timestamp())
    for _ in range(count):
        zone = rng.choice(ZONES)
        if changes[zone] and rng.random() < 0.6:
            # Up to three hours before a change and one after, to the second.
            start = rng.choice(changes[zone]) + rng.randint(-3 * 3600, 3600)
        else:
            start = rng.randint(first, last)
        yield {"schedule": schedule(rng), "timezone": zone, "start": start}


# ---------------------------------------------------------------- asking both sides

def utc_text(instant):
    return datetime.datetime.fromtimestamp(instant, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ask_playbook(binary, all_cases):
    requests = "".join(
        json.dumps({"schedule": case["schedule"], "timezone": case["timezone"], "from": utc_text(case["start"]),
                    "count": FIRES_PER_CASE}) + "\n"
        for case in all_cases)
    result = subprocess.run([binary, "schedule", "--jsonl"], input=requests, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{binary} schedule --jsonl failed with status {result.returncode}: {result.stderr.strip()}")
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    if len(answers) != len(all_cases):
        sys.exit(f"asked {len(all_cases)} questions, got {len(answers)} answers")
    return answers


def parse_utc(text):
    return int(datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp())


def ask_croniter(case):
    tz = zoneinfo.ZoneInfo(case["timezone"])
    iterator = croniter(case["schedule"], datetime.datetime.fromtimestamp(case["start"], tz))
    return [int(iterator.get_next(datetime.datetime).timestamp()) for _ in range(FIRES_PER_CASE)]


def never_fires(case):
    try:
        ask_croniter(case)
    except CroniterBadDateError:
        return True
    return False


def local_text(case, instant):
    return datetime.datetime.fromtimestamp(instant, zoneinfo.ZoneInfo(case["timezone"])).isoformat(timespec="minutes")


# ---------------------------------------------------------------- explaining differences

class Clock:
    """The wall clock of one zone, from Python's zoneinfo: independent of the binary under test."""

    def __init__(self, zone):
        self.tz = zoneinfo.ZoneInfo(zone)

    def wall(self, instant):
        return datetime.datetime.fromtimestamp(instant, self.tz).replace(tzinfo=None)

    def occurrences(self, wall):
        """Every instant whose wall-clock time is `wall`, in order."""
        found = set()
        for fold in (0, 1):
            instant = int(wall.replace(tzinfo=self.tz, fold=fold).timestamp())
            if self.wall(instant) == wall:
                found.add(instant)
        return sorted(found)

    def gap_before(self, instant):
        """The wall-clock minutes a spring-forward change skipped just before `instant`, when
        `instant` is the first whole minute after such a gap; otherwise empty."""
        previous = self.wall(instant - 60)
        current = self.wall(instant)
        minutes = []
        moment = previous + datetime.timedelta(minutes=1)
        while moment < current and len(minutes) < 24 * 60:
            minutes.append(moment)
            moment += datetime.timedelta(minutes=1)
        return minutes


def follows_real_time(expression):
    fields = {"@hourly": "0 * * * *"}.get(expression, expression).split()
    return len(fields) == 5 and (fields[0].startswith("*") or fields[1].startswith("*"))


def matches(expression, wall):
    return croniter.match(expression, wall)


def explain(case, instant, ours):
    """The category of deliberate difference that explains a fire time only one side has, or None."""
    clock = Clock(case["timezone"])
    expression = case["schedule"]
    real_time = follows_real_time(expression)
    wall = clock.wall(instant)
    gap = [minute for minute in clock.gap_before(instant) if matches(expression, minute)]
    occurrences = clock.occurrences(wall)
    if ours:
        if real_time and matches(expression, wall) and len(occurrences) == 2 and instant == occurrences[1]:
            return "real-time-second-pass"
    else:
        if real_time and gap and not matches(expression, wall):
            return "real-time-gap-end"
        if not real_time and matches(expression, wall) and len(occurrences) == 2 and instant == occurrences[1]:
            return "fixed-time-second-pass"
    return None


# ---------------------------------------------------------------- main

def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(root / ".build/debug/playbook"))
    parser.add_argument("--cases", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--examples", action="store_true", help="show the first case of each category")
    options = parser.parse_args()

    rng = random.Random(options.seed)
    all_cases = list(cases(rng, options.cases))
    began = time.monotonic()
    answers = ask_playbook(options.binary, all_cases)
    asked = time.monotonic() - began

    categories = collections.Counter()
    examples = {}
    unexplained = []
    identical_cases = never_cases = 0
    compared = agreeing = 0
    real_time_cases = sum(follows_real_time(case["schedule"]) for case in all_cases)
    for case, answer in zip(all_cases, answers):
        if "errors" in answer:
            # A day that never comes (31 September): playbook rejects the schedule, croniter searches
            # in vain. Both say it never runs.
            if all("never runs" in error["message"] for error in answer["errors"]) and never_fires(case):
                never_cases += 1
            else:
                unexplained.append((case, f"playbook rejected it: {answer['errors']}"))
            continue
        if answer["follows_real_time"] != follows_real_time(case["schedule"]):
            unexplained.append((case, f"playbook says follows_real_time={answer['follows_real_time']}"))
            continue
        ours = [parse_utc(fire["utc"]) for fire in answer["fires"]]
        theirs = ask_croniter(case)
        if ours == theirs:
            identical_cases += 1
            compared += len(ours)
            agreeing += len(ours)
            continue
        # Compare the stretch both lists cover; past its end one side has simply stopped listing.
        horizon = min(ours[-1], theirs[-1])
        ours_set = {t for t in ours if t <= horizon}
        theirs_set = {t for t in theirs if t <= horizon}
        compared += len(ours_set | theirs_set)
        agreeing += len(ours_set & theirs_set)
        for instant, mine in [(t, True) for t in sorted(ours_set - theirs_set)] + [(t, False) for t in sorted(theirs_set - ours_set)]:
            category = explain(case, instant, mine)
            if category:
                categories[category] += 1
                examples.setdefault(category, (case, instant, ours, theirs))
            else:
                side = "only playbook" if mine else "only croniter"
                unexplained.append((case, f"{side} fires at {utc_text(instant)}; playbook {[utc_text(t) for t in ours]}, croniter {[utc_text(t) for t in theirs]}"))

    total = len(all_cases)
    print(f"{total} cases (seed {options.seed}, {real_time_cases} following real time), {FIRES_PER_CASE} fire times each, "
          f"{len(ZONES)} zones; playbook answered in {asked:.2f} s")
    print(f"identical fire times: {identical_cases} of {total} cases ({100 * identical_cases / total:.1f}%); "
          f"{never_cases} more never run on either side")
    print(f"fire times compared: {compared}, the same on both sides: {agreeing} ({100 * agreeing / max(compared, 1):.2f}%)")
    print("deliberate differences (docs/schedules.md, \"Compared with croniter\"):")
    for name, meaning in CATEGORIES.items():
        print(f"  {categories[name]:6d}  {name}: {meaning}")
    if options.examples:
        for name, (case, instant, ours, theirs) in examples.items():
            print(f"{name}: {case['schedule']!r} in {case['timezone']} after {utc_text(case['start'])}, differs at {utc_text(instant)}")
            print(f"  playbook {[local_text(case, t) for t in ours]}")
            print(f"  croniter {[local_text(case, t) for t in theirs]}")
    if unexplained:
        print(f"{len(unexplained)} unexplained differences:")
        for case, reason in unexplained[:20]:
            print(f"  {case['schedule']!r} in {case['timezone']} after {utc_text(case['start'])}: {reason}")
        return 1
    print("no unexplained differences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
