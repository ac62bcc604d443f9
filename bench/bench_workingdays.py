"""Benchmark: working-day offsets per second, ours against two independent implementations.

    python bench/bench_workingdays.py [--seconds 0.5]        (``make bench``)

Compares, for spans of 1-60 working days from random start dates in 2013-2028:

* ``tools.workingdays`` (precomputed working-day index + bisect; what the site uses),
* ``holidays`` (python-holidays) ``HolidayBase.get_nth_working_day`` for GB/England,
  which steps one day at a time,
* ``numpy.busday_offset`` with the same holidays: per call (like-for-like with one
  question at a time) and vectorised over the whole batch (numpy's best case).

All three are first checked to agree on every measured question. Prints the
machine's details, offsets per second and the ratios. Not a timed test: numbers
vary with the machine (±20% between runs on a shared 2-core machine).
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.workingdays import make_calendar  # noqa: E402


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    out = [f"platform : {platform.platform()}",
           f"cpu      : {cpu}",
           f"cores    : {os.cpu_count()}",
           f"python   : {platform.python_implementation()} {platform.python_version()}"]
    for name in ("holidays", "numpy"):
        try:
            module = __import__(name)
            out.append(f"{name:9}: {module.__version__}")
        except ImportError:
            out.append(f"{name:9}: not installed")
    return out


def load_calendar():
    import yaml
    data = yaml.safe_load((ROOT / "rules/calendar/england-and-wales.yaml").read_text(encoding="utf-8"))
    return make_calendar(str(data["covers_from"]), str(data["covers_to"]),
                         [{"date": str(h["date"]), "title": h["title"]} for h in data["holidays"]])


def rate(fn, questions, seconds: float) -> float:
    """Offsets per second: repeat the whole batch until ``seconds`` have passed; best of 3."""
    best = 0.0
    for _ in range(3):
        n, start = 0, time.perf_counter()
        while True:
            fn(questions)
            n += len(questions)
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        best = max(best, n / elapsed)
    return best


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=0.5, help="time per measurement (default 0.5 s)")
    p.add_argument("--questions", type=int, default=2000, help="questions per span bucket (default 2000)")
    args = p.parse_args(argv)

    print("Working-day offsets per second (higher is better)")
    print("\n".join(machine()))
    cal = load_calendar()

    try:
        import holidays
        eng = holidays.country_holidays("GB", subdiv="ENG", years=range(2012, 2031))
        nth = getattr(eng, "get_nth_working_day", None)
        if nth is None:   # older python-holidays: the closest equivalent, one day at a time
            print("holidays: no get_nth_working_day in this version; using a loop over is_working_day")

            def nth(d, n, _eng=eng):
                import datetime as _dt
                step = 1 if n > 0 else -1
                for _ in range(abs(n)):
                    d += _dt.timedelta(days=step)
                    while d in _eng or d.weekday() >= 5:
                        d += _dt.timedelta(days=step)
                return d
    except ImportError:
        eng = nth = None
    try:
        import numpy as np
        hol = np.array(sorted(d for d in (eng or {}) if d.weekday() < 5) or
                       sorted(cal.holidays), dtype="datetime64[D]")
        busdays = np.busdaycalendar(holidays=hol)
    except ImportError:
        np = None

    rng = random.Random(20261123)
    first, last = cal.covers_from.toordinal(), cal.covers_to.toordinal() - 120
    import datetime as dt

    buckets = [(1, 1), (2, 5), (6, 15), (16, 30), (31, 45), (46, 60), (1, 60)]
    header = f"{'span (working days)':>20} {'ours':>12} {'holidays':>12} {'numpy/call':>12} {'numpy/batch':>12}" \
             f" {'ours/holidays':>14} {'ours/np call':>13} {'ours/np batch':>14}"
    print()
    print(header)
    for lo, hi in buckets:
        qs = [(dt.date.fromordinal(rng.randint(first, last)), rng.randint(lo, hi)) for _ in range(args.questions)]
        # first, all agree (from working days, where every definition coincides)
        qs = [(cal.next_working_day(d), n) for d, n in qs]
        ours_answers = [cal.working_days_after(d, n) for d, n in qs]
        if nth is not None:
            assert ours_answers == [nth(d, n) for d, n in qs], "holidays disagrees"
        if np is not None:
            starts = np.array([d for d, _ in qs], dtype="datetime64[D]")
            offs = np.array([n for _, n in qs])
            assert ours_answers == np.busday_offset(starts, offs, roll="backward", busdaycal=busdays).tolist()

        after = cal.working_days_after
        ours = rate(lambda q, after=after: [after(d, n) for d, n in q], qs, args.seconds)
        row = [ours]
        if nth is not None:
            row.append(rate(lambda q: [nth(d, n) for d, n in q], qs, args.seconds / 2))
        else:
            row.append(float("nan"))
        if np is not None:
            one = np.busday_offset
            npq = [(np.datetime64(d), n) for d, n in qs]
            row.append(rate(lambda q, one=one, npq=npq: [one(d, n, roll="backward", busdaycal=busdays) for d, n in npq], qs,
                            args.seconds))
            row.append(rate(lambda q, starts=starts, offs=offs: np.busday_offset(starts, offs, roll="backward",
                                                                                 busdaycal=busdays), qs,
                            args.seconds))
        else:
            row += [float("nan"), float("nan")]
        label = f"{lo}" if lo == hi else f"{lo}-{hi}"
        print(f"{label:>20} {row[0]:>12,.0f} {row[1]:>12,.0f} {row[2]:>12,.0f} {row[3]:>12,.0f}"
              f" {row[0] / row[1]:>13.1f}x {row[0] / row[2]:>12.1f}x {row[0] / row[3]:>13.2f}x")
    print("\nours = tools.workingdays (index + bisect); holidays = get_nth_working_day (day by day);")
    print("numpy/call = one busday_offset call per question; numpy/batch = one vectorised call for all.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
