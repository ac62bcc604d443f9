"""The one output contract (tools/output.schema.json): what `procedures deadlines --json` and
`procedures thresholds --json` print, and what the engines return, validated against the schema
for every event of every area, the timeline cases, and every concern of every area."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

jsonschema = pytest.importorskip("jsonschema")

from cli import deadlines as DCLI  # noqa: E402
from cli import thresholds as TCLI  # noqa: E402
from tools.deadlines import deadlines_for, list_events, list_payload  # noqa: E402
from tools.thresholds import check  # noqa: E402
from tools.timeline import timeline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tools" / "output.schema.json").read_text(encoding="utf-8"))


def _validator(defn: str):
    schema = dict(SCHEMA, **{"$ref": f"#/$defs/{defn}"})
    schema.pop("oneOf")
    return jsonschema.Draft202012Validator(schema)


SINGLE, TIMELINE, THRESHOLDS = _validator("single_event"), _validator("timeline"), _validator("thresholds")


@pytest.fixture(scope="module")
def bundle():
    from bundles import real_bundle
    return real_bundle()


def _valid(validator, data):
    errors = sorted(validator.iter_errors(json.loads(json.dumps(data))), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_every_event_of_every_area_answers_in_the_contract(bundle):
    for area in bundle["areas"]:
        for event in list_events(bundle, area):
            _valid(SINGLE, deadlines_for(bundle, area, event["id"], "2027-03-01T10:00", today="2027-06-01"))


def test_every_timeline_case_answers_in_the_contract(bundle):
    for path in sorted((ROOT / "tests" / "cases" / "timeline").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            _valid(TIMELINE, timeline(bundle, case["area"], [tuple(e) for e in case["events"]], today=case["today"]))


def test_single_event_and_timeline_rows_have_one_shape(bundle):
    one = deadlines_for(bundle, "coventry", "icpc", "2026-11-17")["deadlines"][0]
    many = timeline(bundle, "coventry", [("icpc", "2026-11-17")])["deadlines"][0]
    assert set(one) == set(many) == set(SCHEMA["$defs"]["row"]["required"])


def test_every_concern_of_every_area_answers_in_the_contract(bundle):
    for area in bundle["thresholds"]:
        from tools.thresholds import effective_rules
        rules = effective_rules(bundle, area)
        for flag in rules["flags"]:
            _valid(THRESHOLDS, check(bundle, area, [], [flag["id"]]))
        for ind in rules["indicators"][:10]:
            _valid(THRESHOLDS, check(bundle, area, [ind["id"]], []))


def test_the_command_line_prints_the_contract_and_names_it_in_help(bundle, capsys):
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for argv in (["--area", "peterborough", "--event", "cin-meeting", "--at", "2026-11-17", "--json"],
                 ["--area", "national", "--timeline", "icpc=2026-11-20", "cp-review=2027-02-15", "--json"],
                 ["--list", "--json"]):
        assert DCLI.main(argv, bundle=bundle) == 0
        _valid(validator, json.loads(capsys.readouterr().out))
    assert TCLI.main(["--area", "coventry", "--flag", "cov-s47-injury-non-mobile", "--json"], bundle=bundle) == 0
    _valid(validator, json.loads(capsys.readouterr().out))
    assert "tools/output.schema.json" in DCLI.parser().format_help()
    assert "tools/output.schema.json" in TCLI.parser().format_help()
    assert "tools/output.schema.json" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert list_payload(bundle)["areas"]
