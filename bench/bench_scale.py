"""Build-scale benchmark (``make bench``): the site built from N synthetic procedures.

    python bench/bench_scale.py --procedures N [--json] [--keep DIR] [--profile FILE]

Synthetic rules of the real shape: a copy of rules/ (the five real areas, the national
layer, the calendar) plus regional areas ``synthetic-xa``, ``synthetic-xb``, ... of up to
``AREA_SIZE`` procedures each, grouped into parts of ``PART_SIZE`` procedures (the
``parts:`` of rules/areas.yaml). Every synthetic area copies Peterborough's documents:
its five procedure files (real-sized sections and paragraphs, 4-25 KB of YAML each)
repeated with renamed ids, its timescales, contacts, levels of need and glossary with
ids renamed to the area's prefix. Copy 0 of each procedure keeps the area's plain ids,
so the area's timescales, contacts and glossary cite it, as Peterborough's cite its
own pages; later copies carry ``-cN-`` in their ids.

The build is the one ``make build`` runs (``python -m macros.deployment.build_info build <tmp>/site``:
``mkdocs build --strict``, then Pagefind's indexer once MkDocs has exited) with ``PROCEDURES_RULES_DIR`` pointing
at the synthetic tree and ``CALCULATOR_SNAPSHOT=0``: the Pyodide memory snapshot depends
on Pyodide and tools/ only, not on the manual (a Node child process, ~10 s, cached under
build/ by their hashes), so it would measure Pyodide or a file copy. The calculators'
other assets are still written.

Reported: build time (wall clock), peak memory (the largest sum of RSS over the build's
whole process tree, polled from /proc every 20 ms; ``ru_maxrss`` of the largest child
as a check), CPU seconds of the build (user + system, children included: the figure
to compare when other work shares the machine; table only), site size, median and largest page HTML, search index size (all of Pagefind's pagefind/; under lunr, Material's one JSON file). ``--json``
prints one line: ``{"procedures", "build_s", "peak_rss_mb", "site_mb",
"median_page_kb", "largest_page_kb", "search_index_mb"}``. The table (no ``--json``) starts
with the floor measured in the same run (the real site alone, 0 synthetic procedures), gives
each build time as a ratio to it, the growth between sizes, and the issue's targets, met or not.
``--profile FILE`` builds under cProfile and prints where the time goes, stage by stage (rules
loading, page generation, pages to HTML, blocks to HTML, theme rendering, search shaping,
after the build; Python-Markdown and Jinja inside them), then times Pagefind's indexing.
Not a test: it only prints.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from macros.deployment.build_info import BUILDER  # noqa: E402  (the build command: ProperDocs)

AREA_SIZE = 200     # procedures per synthetic area (a local area's manual)
PART_SIZE = 20      # procedures per part (tri.x-style manuals: 10-30 chapters a part)
MODEL = "peterborough"
MODEL_PREFIX = "pbo"


def _letters(i: int) -> str:
    return "x" + "abcdefghijklmnopqrstuvwxyz"[i % 26] + ("" if i < 26 else "abcdefghijklmnopqrstuvwxyz"[i // 26 - 1])


def _rename(text: str, area: str, prefix: str) -> str:
    text = text.replace(f"{MODEL_PREFIX}-", f"{prefix}-")
    return re.sub(rf"\b{MODEL}\b", area, text)


def generate(root: Path, procedures: int, parts: bool = True) -> Path:
    """Write the synthetic rules tree under ``root`` and return it."""
    rules = root / "rules"
    shutil.copytree(REPO / "rules", rules)
    model_files = sorted((REPO / "rules" / "procedures" / MODEL).glob("*.yaml"))
    model_area = next(a for a in _areas_yaml_blocks() if a[0] == MODEL)[1]
    areas_text = (rules / "areas.yaml").read_text()
    n_areas = -(-procedures // AREA_SIZE) if procedures else 0
    for a in range(n_areas):
        size = min(AREA_SIZE, procedures - a * AREA_SIZE)
        prefix = _letters(a)
        area = f"synthetic-{prefix}"
        n_parts = -(-size // PART_SIZE)
        block = _rename(model_area, area, prefix)
        block = re.sub(r"name: .*", f"name: Synthetic area {prefix.upper()}", block, count=1)
        block = re.sub(r"prefix: \S+", f"prefix: {prefix}", block, count=1)
        block += "" if not parts else "    parts:\n" + "".join(
            f"      - id: part-{p + 1}\n        title: \"Part {p + 1}: synthetic procedures\"\n        order: {p + 1}\n"
            f"        overview: The procedures of part {p + 1} of this synthetic manual.\n" for p in range(n_parts))
        areas_text = areas_text.rstrip("\n") + "\n\n" + block
        for kind in ("timescales", "contacts", "thresholds", "glossary"):
            src = REPO / "rules" / kind / f"{MODEL}.yaml"
            (rules / kind / f"{area}.yaml").write_text(_rename(src.read_text(), area, prefix))
        folder = rules / "procedures" / area
        folder.mkdir()
        for k in range(size):
            model = model_files[k % len(model_files)]
            copy = k // len(model_files)
            text = _rename(model.read_text(), area, prefix)
            stem = model.stem if copy == 0 else f"{model.stem}-c{copy}"
            if copy:
                text = re.sub(rf"^(\s*-?\s*id: ){prefix}-", rf"\g<1>{prefix}-c{copy}-", text, flags=re.M)
                text = re.sub(r"^title: (.*)$", lambda m, c=copy: f"title: {_title(m.group(1), c)}", text, count=1, flags=re.M)
            text = re.sub(r"^id: .*$", f"id: {stem}", text, count=1, flags=re.M)
            part = f"\npart: part-{k // PART_SIZE + 1}" if parts else ""
            text = re.sub(r"^order: .*$", f"order: {k + 1}{part}", text, count=1, flags=re.M)
            (folder / f"{stem}.yaml").write_text(text)
    (rules / "areas.yaml").write_text(areas_text.rstrip("\n") + "\n")
    return rules


def _title(raw: str, copy: int) -> str:
    raw = raw.strip()
    if raw[:1] in "\"'":
        return raw[:-1] + f" ({copy})" + raw[-1]
    return f"{raw} ({copy})"


def _areas_yaml_blocks():
    """(area id, its text block) from rules/areas.yaml, each block starting at ``  - id:``."""
    text = (REPO / "rules" / "areas.yaml").read_text()
    for chunk in re.split(r"\n(?=  - id: )", text)[1:]:
        ident = re.match(r"  - id: (\S+)", chunk).group(1)
        yield ident, chunk.rstrip("\n") + "\n"


def _tree_rss(pid: int) -> int:
    """Sum of RSS (bytes) of ``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        p = int(entry)
        children.setdefault(int(fields[1]), []).append(p)
        rss[p] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


def build(rules: Path, site: Path, profile: str | None = None) -> tuple[float, float, float, float]:
    """Build the site; returns (seconds, peak tree RSS MB, largest child ru_maxrss MB, CPU seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**os.environ, "PROCEDURES_RULES_DIR": str(rules), "CALCULATOR_SNAPSHOT": "0",
           "PROCEDURES_SEARCH_INDEX_AFTER_BUILD": "1",     # the index after MkDocs, as `make build` makes it
           "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    python = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else sys.executable
    # The real build (``make build``): MkDocs, then Pagefind once MkDocs has exited. Under
    # --profile, MkDocs alone runs inside cProfile (Pagefind is a separate binary).
    cmd = ([python, "-m", "cProfile", "-o", profile, *BUILDER, "--quiet", "-d", str(site)]
           if profile else [python, "-m", "macros.deployment.build_info", "build", str(site)])
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    output = proc.stdout.read().decode()
    if proc.returncode:
        sys.exit(f"the synthetic build failed ({proc.returncode}):\n{output[-4000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, peak / 2**20, after.ru_maxrss / 1024, cpu


def measure(procedures: int, keep: str | None = None, profile: str | None = None, parts: bool = True) -> dict:
    tmp = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="bench-scale-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        rules = generate(tmp, procedures, parts)
        site = tmp / "site"
        seconds, peak, maxrss, cpu = build(rules, site, profile)
        if profile:     # the index too, as the real build makes it, timed (Pagefind is not Python)
            sys.path.insert(0, str(REPO))
            from macros.site import search
            start = time.perf_counter()
            search.write_search_index(site, REPO)
            stages = stage_table(profile, time.perf_counter() - start)
            print(f"Where the time goes: {procedures} procedures, cProfile (it slows Python ~2x; compare shares)",
                  file=sys.stderr)
            total = dict(stages)["MkDocs build, in all"]
            for label, t in stages:
                share = "" if "Pagefind" in label else f"{100 * t / total:5.1f}% of MkDocs"
                print(f"  {label:92} {t:7.2f} s  {share}", file=sys.stderr)
        pages = [p.stat().st_size for p in site.rglob("index.html")]
        total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        # The search index: Pagefind's (site/pagefind/, every chunk) or, under lunr, Material's one file.
        pagefind = site / "pagefind"
        index_bytes = (sum(p.stat().st_size for p in pagefind.rglob("*") if p.is_file()) if pagefind.is_dir()
                       else (site / "search" / "search_index.json").stat().st_size
                       if (site / "search" / "search_index.json").exists() else 0)
        return {"procedures": procedures, "build_s": round(seconds, 2), "peak_rss_mb": round(max(peak, maxrss), 1),
                "site_mb": round(total / 2**20, 1), "median_page_kb": round(statistics.median(pages) / 1024, 1),
                "largest_page_kb": round(max(pages) / 1024, 1),
                "search_index_mb": round(index_bytes / 2**20, 2),
                "pages": len(pages), "cpu_s": round(cpu, 1)}
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


# Where a build's time goes (``--profile``): cProfile's cumulative time of the functions that
# make each stage, in the MkDocs process (rules are read by forked workers while the main
# process waits in load_rules: its time is the stage's wall time).
STAGES = [
    ("rules loading (read, schema-check, cross-check)", [("macros/rules/checker.py", "load_rules")]),
    ("page generation (rules -> Markdown, macros pre-rendered)", [("macros/site/pages.py", "generate"),
                                                                  ("macros/site/prerender.py", "render_pages")]),
    ("pages to HTML (MkDocs: each page's Markdown)", [("mkdocs/commands/build.py", "_populate_page")]),
    ("blocks to HTML (paragraphs: data, macros, Markdown or waiting for the worker's, template)",
     [("macros/hooks.py", "on_page_context"), ("macros/hooks.py", "on_post_page")]),
    ("theme rendering (Material's templates, navigation)", [("mkdocs/commands/build.py", "_build_page")]),
    ("search shaping (each page's marks for the index)", [("macros/site/search.py", "shape")]),
    ("after the build (calculator assets, feed, redirects)", [("mkdocs/commands/build.py", "on_post_build"),
                                                               ("mkdocs/plugins.py", "on_post_build")]),
]
# Parts of the stages above, shown beside them.
WITHIN = [("of which Python-Markdown (pages and blocks)", ("markdown/core.py", "convert")),
          ("of which Jinja (theme and block templates)", ("jinja2/environment.py", "render"))]


def stage_table(profile: str, pagefind_s: float | None) -> list[tuple[str, float]]:
    """(stage, seconds) from a cProfile file of the MkDocs build; Pagefind's run timed apart."""
    import pstats
    stats = pstats.Stats(profile).stats

    def cumulative(where: str, name: str) -> float:
        return max((v[3] for (f, _, n), v in stats.items() if n == name and f.endswith(where)), default=0.0)
    total = cumulative("mkdocs/commands/build.py", "build")
    rows = [(label, sum(cumulative(*fn) for fn in fns)) for label, fns in STAGES]
    # on_post_page shapes the page for search too: that part is the search stage's.
    rows[3] = (rows[3][0], rows[3][1] - rows[5][1])
    # The theme's own time: _build_page without the hooks it calls (blocks and search shaping).
    rows[4] = (rows[4][0], rows[4][1] - rows[3][1] - rows[5][1])
    rows.append(("other (MkDocs' own, nav, link checks)", total - sum(t for _, t in rows)))
    rows.append(("MkDocs build, in all", total))
    rows += [(label, cumulative(*fn)) for label, fn in WITHIN]
    if pagefind_s is not None:
        rows.append(("search indexing (Pagefind, after MkDocs)", pagefind_s))
    return rows


def machine() -> str:
    import platform
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "0")
    return (f"{platform.node()}: {os.cpu_count()} cores ({cpu}), {int(mem) / 2**20:.1f} GB RAM, "
            f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}")


# Issue 12's targets on a 2-core machine: (procedures, build seconds, peak MB).
TARGETS = [(500, 12, 200), (2000, 45, 300)]
MEDIAN_PAGE_KB = 120
SITE_GROWTH_2000_500 = 4.4


def table(sizes: list[int], parts: bool = True) -> None:
    print(f"Build scale (bench/bench_scale.py; {machine()})")
    print(f"synthetic areas of up to {AREA_SIZE} procedures in parts of {PART_SIZE}, on top of the real site; "
          "CALCULATOR_SNAPSHOT=0 (the snapshot measures Pyodide, not the manual)")
    # The floor, in the same run: the real site alone (its 5 areas, no synthetic procedure).
    rows = [measure(0, parts=parts)] + [measure(n, parts=parts) for n in sizes]
    head = ["procedures", "pages", "build_s", "cpu_s", "peak_rss_mb", "site_mb", "median_page_kb", "largest_page_kb",
            "search_index_mb"]
    print("| " + " | ".join(head) + " | build / floor |")
    print("|" + "---|" * (len(head) + 1))
    for r in rows:
        print("| " + " | ".join(str(r[h]) for h in head) + f" | {r['build_s'] / rows[0]['build_s']:.1f}x |")
    print("(procedures 0 is the floor: the real site alone, built the same way in the same run)")
    rows = rows[1:]
    for a, b in zip(rows, rows[1:], strict=False):
        ratio = b["procedures"] / a["procedures"]
        print(f"growth {a['procedures']} -> {b['procedures']} ({ratio:.1f}x procedures): "
              + ", ".join(f"{h} {b[h] / a[h]:.2f}x" for h in head[2:] if a[h]))
    by_size = {r["procedures"]: r for r in rows}
    print("targets (issue 12, 2 cores):")
    for n, seconds, mb in TARGETS:
        if n in by_size:
            r = by_size[n]
            print(f"  {n} procedures: build {r['build_s']} s (target <= {seconds}: {_met(r['build_s'] <= seconds)}), "
                  f"peak {r['peak_rss_mb']} MB (target <= {mb}: {_met(r['peak_rss_mb'] <= mb)})")
    worst = max(r["median_page_kb"] for r in rows)
    print(f"  median page at most {worst} KB (target <= {MEDIAN_PAGE_KB}: {_met(worst <= MEDIAN_PAGE_KB)})")
    if 500 in by_size and 2000 in by_size:
        growth = by_size[2000]["site_mb"] / by_size[500]["site_mb"]
        print(f"  site 2,000 / 500 = {growth:.2f}x (target within {SITE_GROWTH_2000_500}x: "
              f"{_met(growth <= SITE_GROWTH_2000_500)})")


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--procedures", type=int, nargs="+", required=True)
    ap.add_argument("--json", action="store_true", help="one JSON line per size")
    ap.add_argument("--keep", help="generate and build in this directory and keep it")
    ap.add_argument("--no-parts", action="store_true",
                    help="synthetic areas without parts (one flat list per area: the navigation before parts)")
    ap.add_argument("--profile", help="run the build under cProfile, writing the stats to this file")
    args = ap.parse_args(argv)
    if args.json or args.keep or args.profile:
        for n in args.procedures:
            r = measure(n, args.keep, args.profile, parts=not args.no_parts)
            r.pop("pages")
            r.pop("cpu_s")
            print(json.dumps(r))
    else:
        table(args.procedures, parts=not args.no_parts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
