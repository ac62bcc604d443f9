"""A sixth area for the tests: rules/ as it is, plus Fenmoor (tests/fixtures/sixth-area/).

Fenmoor is not a real area. Its short document (``rules/sources/005_*.txt`` in the fixture) was
written for the tests as a partnership would publish a local procedure: numbered paragraphs,
three timescales, one contact, two lists for the threshold checker. The tree is built when it
is needed, from the real rules/ of the moment, so the fixture never goes stale against it:

* every file under ``tests/fixtures/sixth-area/rules/`` is copied into a copy of rules/;
* the area of ``tests/fixtures/sixth-area/area.yaml`` is appended to its ``areas.yaml``;
* its ids are recorded in its ``published-ids.txt``, as ``procedures ids`` records a new area's.

Its hand-written cases (content, thresholds, timeline) are in ``tests/fixtures/sixth-area/cases/``,
laid out as ``tests/cases/`` is: ``PROCEDURES_TEST_CASES`` names that folder to the tests
(tests/areas.py). ``python tests/sixth_area.py DEST`` writes the tree to DEST, to look at it, check
it (``procedures check DEST``) or build it (``PROCEDURES_RULES_DIR=DEST mkdocs build``).
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "sixth-area"
AREA = "fenmoor"
CASES = FIXTURE / "cases"


def build_tree(dest: Path) -> Path:
    """Write rules/ plus the sixth area to ``dest`` (which must not exist); returns ``dest``."""
    from macros.rules import load_rules
    from macros.rules.published_ids import current_ids, recorded_ids

    dest = Path(dest)
    shutil.copytree(REPO / "rules", dest)
    shutil.copytree(FIXTURE / "rules", dest, dirs_exist_ok=True)
    areas = dest / "areas.yaml"
    entry = (FIXTURE / "area.yaml").read_text(encoding="utf-8")
    areas.write_text(areas.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
                     + "".join("  " + line if line.strip() else line for line in entry.splitlines(True)),
                     encoding="utf-8")
    ids = current_ids(load_rules(dest)) | recorded_ids(dest)     # what `procedures ids` records
    listed = dest / "published-ids.txt"
    head = [line for line in listed.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    listed.write_text("\n".join(head + sorted(ids)) + "\n", encoding="utf-8")
    return dest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/sixth_area.py DEST   (writes rules/ plus the sixth area to DEST)")
    sys.path.insert(0, str(REPO))
    print(build_tree(Path(sys.argv[1])))
