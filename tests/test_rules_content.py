"""The content of rules/ against the source documents: complete, cited, faithful."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from macros.rules import faithful, load_rules

HERE = Path(__file__).parent
LISTED = yaml.safe_load((HERE / "cases" / "listed_timescales.yaml").read_text())
AREAS = ["national", "dudley", "peterborough", "worcestershire", "coventry"]


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.mark.parametrize("case", LISTED, ids=[c["name"] for c in LISTED])
def test_a_listed_timescale_exists_with_its_amount_and_unit(rules, case):
    def matches(t):
        rec = t.get("recurrence") or {}
        return (t["amount"] == case["amount"] and t["unit"] == case["unit"]
                and t["direction"] == case.get("direction", "after")
                and ("event" not in case or t["event"] == case["event"])
                and ("every" not in case or (rec.get("every"), rec.get("unit")) == (case["every"], case["every_unit"]))
                and ("label" not in case or case["label"].lower() in (t["label"] + " " + t["step"]).lower()))
    found = [t["id"] for t in rules.timescales.get(case["area"], []) if matches(t)]
    assert found, f"no {case['area']} timescale matches {case}"


def source_lines(rules, area):
    return faithful.source_text(rules, area).split("\n")


def cites(rules, area):
    return {a.cite for a in rules.anchors.values() if a.area == area}


def test_every_numbered_paragraph_of_working_together_is_on_the_site(rules):
    numbers = [m.group(1) for line in source_lines(rules, "national") if (m := re.fullmatch(r"(\d+)\.\s*", line))]
    assert len(numbers) >= 60  # the chapter has 68
    missing = [n for n in numbers if n not in cites(rules, "national")]
    assert not missing, f"paragraphs not on the site: {missing}"


def test_every_numbered_paragraph_of_peterborough_is_on_the_site(rules):
    numbers = {m.group(1) for line in source_lines(rules, "peterborough")
               if (m := re.match(r"^(\d+\.\d+)\b", line.strip()))}
    assert len(numbers) >= 60
    have = cites(rules, "peterborough")
    missing = sorted(n for n in numbers if not any(n == c or c.startswith(n + " ") or c.endswith(" " + n) for c in have))
    assert not missing, f"paragraphs not on the site: {missing}"


def test_every_numbered_heading_of_dudley_is_on_the_site(rules):
    numbers = {m.group(1) for line in source_lines(rules, "dudley") if (m := re.search(r"\*\*(\d+\.\d+) ", line))}
    assert len(numbers) >= 8
    missing = sorted(n for n in numbers if not any(n in c for c in cites(rules, "dudley")))
    assert not missing, f"sections not on the site: {missing}"


def test_every_numbered_section_of_coventry_is_on_the_site(rules):
    ids = {a.id for a in rules.anchors.values() if a.area == "coventry"}
    assert {f"cov-{n}" for n in range(1, 13)} <= ids


@pytest.mark.parametrize("area", AREAS)
def test_each_area_has_pages_timescales_and_a_threshold_checker(rules, area):
    assert rules.procedures.get(area), f"{area} has no procedure pages"
    assert rules.timescales.get(area), f"{area} has no timescales"
    assert rules.thresholds.get(area, {}).get("rules"), f"{area} has no threshold rules"


@pytest.mark.parametrize("area", AREAS)
def test_nothing_on_the_site_is_missing_from_the_source(rules, area):
    ignore = faithful.load_ignore().get(area, {})
    bad = faithful.invented(rules, area, [i["text"] for i in ignore.get("not_in_source", [])])
    assert not bad, "lines not found in the source document:\n" + "\n".join(bad)


@pytest.mark.parametrize("area", AREAS)
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
    gone = sorted(recorded_ids() - current_ids(rules))
    assert not gone, ("ids that partners may link to have disappeared (restore them, or delete their lines from "
                      f"rules/published-ids.txt if the paragraph was removed on purpose): {gone[:20]}")


def test_every_id_is_recorded_as_published(rules):
    from macros.rules.published_ids import current_ids, recorded_ids
    new = sorted(current_ids(rules) - recorded_ids())
    assert not new, f"record new ids with `.venv/bin/procedures ids`: {new[:20]}"


def test_rules_readme_documents_every_event_and_step(rules):
    readme = (HERE.parent / "rules" / "README.md").read_text()
    missing = [i for i in [*rules.events, *rules.steps] if f"| `{i}` |" not in readme]
    assert not missing, f"add these to the tables in rules/README.md: {missing}"
