"""The content of the rules tree against the source documents: complete, cited, faithful.

Per-area tests run for every area of the tree's areas.yaml (tests/areas.py): the generic ones
(faithful to the source, ids, pages, timescales and a threshold checker) need nothing more; the
ones that check an area against hand-written expectations read tests/cases/content/<area>.yaml
(how its source numbers paragraphs, and the timescales the document states) and fail, naming that
file, for an area without one.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from areas import RULES_DIR, case_file, case_files, each_area, load_case_file, per_area

from macros.rules import faithful, load_rules

HERE = Path(__file__).parent


def _listed():
    out = []
    for path in case_files("content"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data.get("timescales") or []:
            out.append(pytest.param(data["area"], case, id=f"{data['area']}: {case['name']}"))
    return out


@pytest.fixture(scope="module")
def rules():
    return load_rules(RULES_DIR)


@each_area
def test_each_area_has_its_content_cases(area):
    """tests/cases/content/<area>.yaml: how the source numbers its paragraphs, and its timescales."""
    data = load_case_file("content", area)
    assert data["area"] == area, f"{case_file('content', area)} says area: {data['area']}"
    assert data.get("numbered"), f"{case_file('content', area)}: say how the source numbers its paragraphs (numbered:)"
    assert data.get("timescales"), (f"{case_file('content', area)}: list the timescales the source states "
                                    "(timescales:), each found in the area's own rules")


@per_area
@pytest.mark.parametrize("area, case", _listed())
def test_a_listed_timescale_exists_with_its_amount_and_unit(rules, area, case):
    def matches(t):
        rec = t.get("recurrence") or {}
        return (t["amount"] == case["amount"] and t["unit"] == case["unit"]
                and t["direction"] == case.get("direction", "after")
                and ("event" not in case or t["event"] == case["event"])
                and ("every" not in case or (rec.get("every"), rec.get("unit")) == (case["every"], case["every_unit"]))
                and ("label" not in case or case["label"].lower() in (t["label"] + " " + t["step"]).lower()))
    found = [t["id"] for t in rules.timescales.get(area, []) if matches(t)]
    assert found, f"no {area} timescale matches {case}"


def source_lines(rules, area):
    return faithful.source_text(rules, area).split("\n")


def cites(rules, area):
    return {a.cite for a in rules.anchors.values() if a.area == area}


@each_area
def test_every_numbered_paragraph_of_the_source_is_on_the_site(rules, area):
    """Each number the area's ``numbered.pattern`` finds in its source (group 1, searched in every
    line) is cited by one of its sections or blocks (a cite that fully matches ``numbered.cite``,
    ``{n}`` standing for the number); at least ``numbered.at_least`` numbers are found."""
    numbered = load_case_file("content", area)["numbered"]
    if "none" in numbered:
        assert numbered["none"].strip(), f"{area}: say why the source has no numbered paragraphs"
        return
    pattern = re.compile(numbered["pattern"])
    numbers = {m.group(1) for line in source_lines(rules, area) if (m := pattern.search(line))}
    assert len(numbers) >= numbered["at_least"], f"{area}: only {len(numbers)} numbers found: {sorted(numbers)}"
    have = cites(rules, area)
    missing = sorted(n for n in numbers if not any(
        re.fullmatch(numbered["cite"].replace("{n}", re.escape(n)), c) for c in have))
    assert not missing, f"{area}: paragraphs not on the site: {missing}"


def test_every_numbered_section_of_coventry_is_on_the_site(rules):
    ids = {a.id for a in rules.anchors.values() if a.area == "coventry"}
    assert {f"cov-{n}" for n in range(1, 13)} <= ids


@each_area
def test_each_area_has_pages_timescales_and_a_threshold_checker(rules, area):
    assert rules.procedures.get(area), f"{area} has no procedure pages"
    assert rules.timescales.get(area), f"{area} has no timescales"
    assert rules.thresholds.get(area, {}).get("rules"), f"{area} has no threshold rules"


@each_area
def test_nothing_on_the_site_is_missing_from_the_source(rules, area):
    ignore = faithful.load_ignore().get(area, {})
    bad = faithful.invented(rules, area, [i["text"] for i in ignore.get("not_in_source", [])])
    assert not bad, "lines not found in the source document:\n" + "\n".join(bad)


@each_area
def test_nothing_in_the_source_is_missing_from_the_site(rules, area):
    ignore = faithful.load_ignore().get(area, {})
    missing = faithful.lost(rules, area, [i["text"] for i in ignore.get("not_on_site", [])])
    assert not missing, "source lines not found on the site:\n" + "\n".join(missing)


def test_every_ignored_line_says_why():
    for area, kinds in faithful.load_ignore().items():
        for kind, items in kinds.items():
            for item in items:
                assert item.get("why"), f"{area} {kind}: {item['text']!r} needs a reason"


def test_no_published_id_has_disappeared(rules):
    """A partner's link to a paragraph must keep working: published ids never vanish silently."""
    from macros.rules.published_ids import current_ids, recorded_ids
    gone = sorted(recorded_ids(rules.root) - current_ids(rules))
    assert not gone, ("ids that partners may link to have disappeared (restore them, or delete their lines from "
                      f"rules/published-ids.txt if the paragraph was removed on purpose): {gone[:20]}")


def test_every_id_is_recorded_as_published(rules):
    from macros.rules.published_ids import current_ids, recorded_ids
    new = sorted(current_ids(rules) - recorded_ids(rules.root))
    assert not new, f"record new ids with `.venv/bin/procedures ids`: {new[:20]}"


def ids_of(rules, area: str) -> dict[str, set[str]]:
    """The area's published ids by kind (as rules/published-ids.txt writes them: ``<kind> <id>``)."""
    th = rules.thresholds.get(area, {})
    return {"anchor": {a.id for a in rules.anchors.values() if a.area == area},
            "timescale": {t["id"] for t in rules.timescales.get(area, [])},
            "contact": {c["id"] for c in rules.contacts.get(area, [])},
            "page": {f"{area}/{p['id']}" for p in rules.procedures.get(area, [])},
            "indicator": {i["id"] for i in th.get("indicators", [])},
            "flag": {f["id"] for f in th.get("flags", [])}}


@each_area
def test_every_id_of_the_area_follows_the_conventions_of_rules_readme(rules, area):
    """Sections, paragraphs, indicators and flags start with the area's prefix; timescales and
    contacts with the area's id (rules/README.md, "Ids: never change them")."""
    prefix = rules.areas[area]["prefix"]
    ids = ids_of(rules, area)
    assert ids["anchor"], f"{area} has no sections"
    starts = {"anchor": prefix, "indicator": prefix, "flag": prefix, "timescale": area, "contact": area}
    wrong = sorted(f"{kind} {i}" for kind, start in starts.items() for i in ids[kind] if not i.startswith(start + "-"))
    assert not wrong, f"{area}: ids that do not start with '{prefix}-' (or '{area}-' for timescales and contacts): {wrong}"


@each_area
def test_every_id_of_the_area_is_recorded_as_published(rules, area):
    from macros.rules.published_ids import recorded_ids
    recorded = recorded_ids(rules.root)
    new = sorted(f"{kind} {i}" for kind, ids in ids_of(rules, area).items() for i in ids if f"{kind} {i}" not in recorded)
    assert not new, f"{area}: record its new ids with `.venv/bin/procedures ids`: {new[:20]}"


def test_rules_readme_documents_every_event_and_step(rules):
    readme = (HERE.parent / "rules" / "README.md").read_text()
    missing = [i for i in [*rules.events, *rules.steps] if f"| `{i}` |" not in readme]
    assert not missing, f"add these to the tables in rules/README.md: {missing}"
