"""What the one allow-list costs a build (issue 20): ``make bench`` sizes, sanitizer on and off.

    python bench/bench_sanitize.py --procedures 500 [2000] [--rounds 2] [--json]

For each size, the synthetic rules tree of ``bench/bench_scale.py`` is generated once and
built the way ``make build`` builds it (``bench_scale.build``), ``--rounds`` times with the
allow-list on and as many with it off, alternating (on, off, on, off...) so that the load of
a shared machine falls on both alike. Off means :func:`macros.site.sanitize.clean` returns
its input and :func:`macros.site.sanitize.violations` finds nothing, by the bench-only
``bench/sanitize_probe/sitecustomize.py`` (nothing in the project reads its variable). The
"on" builds also add up, inside the build, the calls and CPU seconds of ``clean`` (nh3, once per
block conversion) and ``violations`` (the page judge, html.parser, once per page).

Reported per size: median wall and CPU seconds (user + system of the whole build) on and
off, their difference, and the in-build seconds of ``clean`` and ``violations`` with their
share of the build's CPU time; the machine and its load average before and after. On a
shared machine the CPU seconds and the in-build timings are the figures to trust; the wall
clock difference is within the noise unless the cost is large. Not a test: it only prints.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale  # noqa: E402  (the synthetic tree and the real build, shared)

PROBE = Path(__file__).resolve().parent / "sanitize_probe"


def timed_build(rules: Path, tmp: Path, mode: str) -> dict:
    """One build with the allow-list ``on`` (timed inside) or ``off``; the site is deleted after."""
    totals_dir = Path(tempfile.mkdtemp(prefix="totals-", dir=tmp))
    site = tmp / f"site-{mode}"
    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", "BENCH_SANITIZE", "BENCH_SANITIZE_OUT")}
    os.environ["PYTHONPATH"] = os.pathsep.join([str(PROBE), str(bench_scale.REPO)]
                                               + ([saved["PYTHONPATH"]] if saved["PYTHONPATH"] else []))
    os.environ["BENCH_SANITIZE"] = "time" if mode == "on" else "off"
    os.environ["BENCH_SANITIZE_OUT"] = str(totals_dir)
    try:
        seconds, peak, _maxrss, cpu = bench_scale.build(rules, site)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(site, ignore_errors=True)
    row = {"build_s": seconds, "cpu_s": cpu, "peak_rss_mb": peak,
           "clean_calls": 0, "clean_s": 0.0, "violations_calls": 0, "violations_s": 0.0}
    for f in totals_dir.glob("*.json"):
        for k, v in json.loads(f.read_text()).items():
            row[k] += v
    if mode == "on" and not row["clean_calls"]:
        sys.exit("the probe saw no call of sanitize.clean: is bench/sanitize_probe on the build's PYTHONPATH?")
    return row


def measure(procedures: int, rounds: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-sanitize-"))
    try:
        rules = bench_scale.generate(tmp, procedures)
        runs = {"on": [], "off": []}
        for _ in range(rounds):
            for mode in ("on", "off"):
                runs[mode].append(timed_build(rules, tmp, mode))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def med(mode, key):
        return statistics.median(r[key] for r in runs[mode])
    on_cpu = med("on", "cpu_s")
    return {"procedures": procedures, "rounds": rounds,
            "on_build_s": round(med("on", "build_s"), 2), "off_build_s": round(med("off", "build_s"), 2),
            "on_cpu_s": round(on_cpu, 2), "off_cpu_s": round(med("off", "cpu_s"), 2),
            "clean_calls": int(med("on", "clean_calls")), "clean_s": round(med("on", "clean_s"), 3),
            "violations_calls": int(med("on", "violations_calls")), "violations_s": round(med("on", "violations_s"), 3),
            "clean_share_of_cpu": round(med("on", "clean_s") / on_cpu, 4),
            "allow_list_share_of_cpu": round((med("on", "clean_s") + med("on", "violations_s")) / on_cpu, 4)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--procedures", type=int, nargs="+", required=True)
    ap.add_argument("--rounds", type=int, default=2, help="builds with the allow-list on, and as many off")
    ap.add_argument("--json", action="store_true", help="one JSON line per size")
    args = ap.parse_args(argv)
    if not args.json:
        print(f"Allow-list cost (bench/bench_sanitize.py; before: {bench_scale.machine()})")
    for n in args.procedures:
        r = measure(n, args.rounds)
        if args.json:
            print(json.dumps(r), flush=True)
            continue
        print(f"{n} procedures, median of {args.rounds} builds each way (on/off alternating):")
        print(f"  wall  on {r['on_build_s']} s, off {r['off_build_s']} s, difference "
              f"{r['on_build_s'] - r['off_build_s']:+.2f} s")
        print(f"  CPU   on {r['on_cpu_s']} s, off {r['off_cpu_s']} s, difference {r['on_cpu_s'] - r['off_cpu_s']:+.2f} s")
        print(f"  inside the 'on' build: sanitize.clean (nh3) {r['clean_calls']} calls, {r['clean_s']} s "
              f"({100 * r['clean_share_of_cpu']:.1f}% of the build's CPU); sanitize.violations (page judge) "
              f"{r['violations_calls']} pages, {r['violations_s']} s; together "
              f"{100 * r['allow_list_share_of_cpu']:.1f}% of the build's CPU", flush=True)
    if not args.json:
        print(f"after: {bench_scale.machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
