"""What shipping bytecode changes (macros/browser/bytecode.py): bytes, and Python's start under Node.

    python bench/bench_bytecode.py [--runs 5]

Makes the calculators' standard library and tools zip both ways, as sources (what the build
shipped before) and as the build ships them now (stdlib: ``-OO`` bytecode without line tables;
tools: sources with ``.pyc`` beside them), and prints for each: raw, brotli (quality 11) and gzip
(-9) sizes; and the median time, under Node (``bench/pyodide_start.mjs``), of what a first visit's
worker does without a memory snapshot: start Python over that library, import the tools, answer
one deadline. The runs alternate between the two, so the machine's load (printed) weighs on both alike.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from macros.browser import bytecode, stdlib  # noqa: E402
from macros.browser import pyodide_assets as assets  # noqa: E402

START = REPO / "bench" / "pyodide_start.mjs"


BROTLI = """const z = require("zlib"); const b = require("fs").readFileSync(process.argv[1]);
console.log(z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11,
  [z.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length);"""


def sizes(path: Path) -> tuple[int, int, int]:
    """Raw, brotli (Node's, quality 11, as the build's copies) and gzip -9 sizes."""
    data = path.read_bytes()
    br = subprocess.run([shutil.which("node"), "-e", BROTLI, str(path)], capture_output=True, text=True, check=True)
    return len(data), int(br.stdout), len(gzip.compress(data, 9, mtime=0))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    from macros.browser.bundle import build_bundle
    from macros.rules import RULES, load_rules
    _version, package, files = assets.check_pyodide(REPO)
    hashes = {name: assets.sha256(content) for name, content in files.items()}
    bundle = assets.bundle_json(build_bundle(load_rules(RULES)))
    tools = assets.tools_zip(REPO)
    library, _ = stdlib.build(REPO, package, tools, bundle)
    compiled_library, compiled_tools = bytecode.compiled(REPO, package, hashes, library, tools)
    variants = {"sources": (library, tools), "bytecode": (compiled_library, compiled_tools)}
    node = shutil.which("node")
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    times: dict[str, list[dict]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory(prefix="bench-bytecode-") as tmp:
        paths = {}
        for name, (lib, zipped) in variants.items():
            paths[name] = (Path(tmp, f"{name}-stdlib.zip"), Path(tmp, f"{name}-tools.zip"))
            paths[name][0].write_bytes(lib)
            paths[name][1].write_bytes(zipped)
        bundle_path = Path(tmp, "bundle.json")
        bundle_path.write_bytes(bundle)
        for _ in range(args.runs):
            for name in variants:
                run = subprocess.run([node, str(START), str(package), *map(str, paths[name]), str(bundle_path)],
                                     capture_output=True, text=True, timeout=600)
                if run.returncode != 0:
                    print(run.stdout + run.stderr, file=sys.stderr)
                    return 1
                times[name].append(json.loads(run.stdout.strip().splitlines()[-1]))
        measured = {name: (sizes(paths[name][0]), sizes(paths[name][1])) for name in variants}
    load_after = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Bytecode or sources for the calculators' Python (median of {args.runs} alternating runs under Node {subprocess.run([node, '--version'], capture_output=True, text=True).stdout.strip()})")
    print(f"  machine: {os.cpu_count()} cores, load average before {load_before}, after {load_after}")
    print(f"  {'':10}{'stdlib raw':>12}{'br':>10}{'gz':>10}{'tools raw':>11}{'br':>10}{'gz':>10}"
          f"{'python ms':>11}{'+tools ms':>11}{'answer ms':>11}")
    for name in variants:
        s, t = measured[name]
        med = {k: statistics.median(r[k] for r in times[name]) for k in ("python", "imported", "answered")}
        print(f"  {name:10}{s[0]:>12,}{s[1]:>10,}{s[2]:>10,}{t[0]:>11,}{t[1]:>10,}{t[2]:>10,}"
              f"{med['python']:>11.0f}{med['imported']:>11.0f}{med['answered']:>11.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
