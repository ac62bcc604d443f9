"""rules/calendar/england-and-wales.yaml: its schema, its data, the python-holidays
cross-check, and the refresh command (procedures refresh-calendar)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from macros.rules import calendar_refresh as R

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "rules" / "calendar" / "england-and-wales.yaml"
SCHEMA = ROOT / "rules" / "schema" / "calendar.schema.json"
TEXT = FILE.read_text(encoding="utf-8")


def _strings(value):
    """PyYAML gives dates as date objects; the project's loader keeps strings."""
    if isinstance(value, dict):
        return {k: _strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


DATA = _strings(yaml.safe_load(TEXT))
DATES = [dt.date.fromisoformat(h["date"]) for h in DATA["holidays"]]

# Differences between this calendar and python-holidays (GB, England) that are known and
# checked by hand against GOV.UK, as {date: "why"}. Empty: the two agree on every date of
# 2013-2028, including 2020-05-08, 2022-06-02/03, 2022-09-19 and 2023-05-08.
# If a package version disagrees about a real (one-off) bank holiday, record it here with the
# reason; the test then names it instead of failing, and fails if the difference goes away.
KNOWN_DIFFERENCES: dict[str, str] = {}


# -- shape -------------------------------------------------------------------------------------
def test_first_line_links_the_schema():
    assert TEXT.split("\n", 1)[0] == "# yaml-language-server: $schema=../schema/calendar.schema.json"


def test_file_matches_its_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(DATA)] == []


def test_schema_rejects_mistakes():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for bad in (dict(DATA, covers_to="2028-02-30"), dict(DATA, extra=1), dict(DATA, division="scotland"),
                dict(DATA, holidays=[{"date": "2026-12-25"}]),
                dict(DATA, holidays=[{"date": "25/12/2026", "title": "Christmas Day"}])):
        assert list(validator.iter_errors(bad)), bad


def test_the_calendar_covers_whole_years_from_its_first_to_its_last_holiday():
    # Stated so that a legitimate refresh (new years, a new retrieved date) keeps passing.
    assert DATA["division"] == "england-and-wales"
    assert dt.date.fromisoformat(DATA["retrieved"]) <= dt.date.today()
    assert DATA["covers_from"] == f"{DATES[0].year}-01-01" and DATA["covers_to"] == f"{DATES[-1].year}-12-31"
    assert DATA["covers_from"] <= "2013-01-01", "the calendar must keep the years the sources' cases need"
    assert "GOV.UK" in DATA["source"] and "python-holidays" in DATA["source"]
    assert "refresh-calendar" in DATA["source"]


def test_holidays_are_sorted_unique_weekdays_inside_coverage():
    assert DATES == sorted(DATES) and len(set(DATES)) == len(DATES)
    assert all(d.weekday() < 5 for d in DATES), [d for d in DATES if d.weekday() >= 5]
    lo, hi = dt.date.fromisoformat(DATA["covers_from"]), dt.date.fromisoformat(DATA["covers_to"])
    assert all(lo <= d <= hi for d in DATES)
    assert all(h["title"].strip() == h["title"] and h["title"] for h in DATA["holidays"])


def test_every_year_has_its_bank_holidays():
    per_year = {}
    for d in DATES:
        per_year[d.year] = per_year.get(d.year, 0) + 1
    assert set(per_year) == set(range(per_year and min(per_year), max(per_year) + 1)), "no year may be missing"
    extra = {2022: 2, 2023: 1}    # Platinum Jubilee + State Funeral; Coronation
    for year, n in per_year.items():
        assert n == 8 + extra.get(year, 0), (year, n)


@pytest.mark.parametrize("date, title", [
    ("2020-05-08", "Early May bank holiday (VE day)"),
    ("2022-06-02", "Spring bank holiday"),
    ("2022-06-03", "Platinum Jubilee bank holiday"),
    ("2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"),
    ("2023-05-08", "Bank holiday for the coronation of King Charles III"),
    ("2026-12-28", "Boxing Day (substitute day)"),
    ("2027-12-27", "Christmas Day (substitute day)"),
    ("2027-12-28", "Boxing Day (substitute day)"),
    ("2028-01-03", "New Year’s Day (substitute day)"),
    ("2016-12-27", "Christmas Day (substitute day)"),
])
def test_one_off_and_substitute_days(date, title):
    assert {"date": date, "title": title} in DATA["holidays"]


@pytest.mark.parametrize("date", ["2020-05-04", "2022-05-30", "2026-12-26", "2027-12-25"])
def test_days_that_are_not_bank_holidays(date):
    """Moved holidays' usual days, and weekend days a substitute replaces."""
    assert date not in {h["date"] for h in DATA["holidays"]}


# -- cross-check with python-holidays --------------------------------------------------------------
def test_calendar_equals_the_holidays_package_for_every_covered_year():
    holidays = pytest.importorskip("holidays")
    years = range(dt.date.fromisoformat(DATA["covers_from"]).year,
                  dt.date.fromisoformat(DATA["covers_to"]).year + 1)
    eng = holidays.country_holidays("GB", subdiv="ENG", years=years)
    # The package lists the holiday itself even on a weekend, plus "(observed)" days;
    # bank holidays (days off) are its weekday dates.
    theirs = {d.isoformat(): name for d, name in eng.items() if d.weekday() < 5}
    ours = {h["date"]: h["title"] for h in DATA["holidays"]}
    differences = {}
    for d in sorted(set(ours) | set(theirs)):
        if d not in theirs:
            differences[d] = f"only in rules/: {ours[d]}"
        elif d not in ours:
            differences[d] = f"only in holidays {holidays.__version__}: {theirs[d]}"
    unexplained = {d: why for d, why in differences.items() if d not in KNOWN_DIFFERENCES}
    assert not unexplained, "rules/calendar and python-holidays differ:\n" + "\n".join(
        f"  {d}: {why}" for d, why in unexplained.items())
    vanished = set(KNOWN_DIFFERENCES) - set(differences)
    assert not vanished, f"known differences no longer differ (remove them): {sorted(vanished)}"


# -- the refresh command: pure parts ---------------------------------------------------------
def govuk(events, division="england-and-wales"):
    return {division: {"division": division, "events": events},
            "scotland": {"division": "scotland", "events": [{"title": "St Andrew’s Day", "date": "2026-11-30",
                                                             "notes": "", "bunting": True}]}}


def ev(date, title, notes=""):
    return {"title": title, "date": date, "notes": notes, "bunting": True}


def test_parse_govuk_takes_england_and_wales_and_marks_substitute_days():
    out = R.parse_govuk(govuk([ev("2026-12-28", "Boxing Day", "Substitute day"), ev("2026-12-25", "Christmas Day"),
                               ev("2020-05-08", "Early May bank holiday (VE day)")]))
    assert out == [{"date": "2020-05-08", "title": "Early May bank holiday (VE day)"},
                   {"date": "2026-12-25", "title": "Christmas Day"},
                   {"date": "2026-12-28", "title": "Boxing Day (substitute day)"}]


@pytest.mark.parametrize("data, message", [
    ({"scotland": {"events": []}}, "no 'england-and-wales' division"),
    ([], "no 'england-and-wales' division"),
    ({"england-and-wales": {"events": []}}, "has no events"),
    ({"england-and-wales": {"events": [{"title": "X", "date": "2026-02-30"}]}}, "is not a real day"),
    ({"england-and-wales": {"events": [{"date": "2026-12-25"}]}}, "is not a date and title"),
    ({"england-and-wales": {"events": [ev("2026-12-25", "A"), ev("2026-12-25", "B")]}}, "listed twice"),
])
def test_parse_govuk_errors(data, message):
    with pytest.raises(R.RefreshError) as info:
        R.parse_govuk(data)
    assert message in str(info.value)


# The year after the calendar's last: what a legitimate refresh would add (so these tests
# keep passing when the real calendar is refreshed).
NEXT = int(DATA["covers_to"][:4]) + 1


def year_of(year, christmas_title="Christmas Day"):
    """Eight plausible bank holidays of a year (only the count and the dates' year matter here)."""
    days = ["01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26"]
    titles = ["New Year’s Day", "Good Friday", "Easter Monday", "Early May bank holiday", "Spring bank holiday",
              "Summer bank holiday", christmas_title, "Boxing Day"]
    return [{"date": f"{year}-{d}", "title": t} for d, t in zip(days, titles, strict=True)]


def test_merge_replaces_the_files_years_and_keeps_older_ones():
    current = year_of(2017) + year_of(2018, "Old title") + [{"date": "2018-06-01", "title": "Gone"}]
    fresh = year_of(2018) + year_of(2019)
    merged = R.merge(current, fresh)
    assert merged == year_of(2017) + year_of(2018) + year_of(2019)
    assert R.coverage(merged) == ("2017-01-01", "2019-12-31")
    changes = R.diff(current, merged)
    assert changes[0] == "removed 2018-06-01 Gone"
    assert changes[1] == "retitled 2018-12-25: 'Old title' -> 'Christmas Day'"
    assert changes[2:] == [f"added {h['date']} {h['title']}" for h in year_of(2019)]


def test_merge_refuses_incomplete_files_gaps_and_older_files():
    with pytest.raises(R.RefreshError, match="fewer than 8 bank holidays for 2019"):
        R.merge(year_of(2018), year_of(2018) + year_of(2019)[:3])
    with pytest.raises(R.RefreshError, match="contiguous"):
        R.merge(year_of(2015), year_of(2018))
    with pytest.raises(R.RefreshError, match="older than the calendar"):
        R.merge(year_of(2030), year_of(2029))
    with pytest.raises(R.RefreshError):
        R.merge([], [])


def test_the_file_reads_back_exactly_and_renders_identically():
    parsed = R.read_calendar_yaml(TEXT)
    assert parsed == DATA
    assert R.render(parsed) == TEXT


def test_read_calendar_yaml_refuses_other_layouts():
    with pytest.raises(R.RefreshError, match="line"):
        R.read_calendar_yaml(TEXT + "  - date: 2029-01-01\n    title: New Year’s Day\n")
    with pytest.raises(R.RefreshError, match="layout"):
        R.read_calendar_yaml("unknown: 1\n")


def test_refresh_extends_the_calendar_with_a_govuk_file():
    events = [ev(h["date"], h["title"].replace(" (substitute day)", ""),
                 "Substitute day" if "(substitute day)" in h["title"] else "")
              for h in DATA["holidays"] if h["date"] >= "2020"]
    events += [ev(h["date"], h["title"]) for h in year_of(NEXT)]
    text, changes = R.refresh(TEXT, govuk(events), "2027-01-15")
    assert changes == [f"added {h['date']} {h['title']}" for h in year_of(NEXT)]
    data = _strings(yaml.safe_load(text))
    assert text.split("\n", 1)[0] == R.SCHEMA_LINE
    assert data["covers_from"] == "2013-01-01" and data["covers_to"] == f"{NEXT}-12-31"
    assert data["retrieved"] == "2027-01-15"
    assert f"downloaded 2027-01-15: the years 2020-{NEXT}" in data["source"]
    assert "The years 2013-2019" in data["source"] and "kept from the earlier copy" in data["source"]
    assert data["holidays"][: len(DATA["holidays"])] == DATA["holidays"]
    assert R.read_calendar_yaml(text) == data
    try:
        import jsonschema
    except ImportError:   # Pyodide: the schema itself is checked where jsonschema exists
        return
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
                    .iter_errors(data))


def test_refresh_with_no_existing_file_and_a_bad_date():
    events = [ev(h["date"], h["title"]) for h in DATA["holidays"] if h["date"].startswith("2026-")]
    text, changes = R.refresh(None, govuk(events), "2026-11-23")
    assert "covers_from: 2026-01-01" in text and "covers_to: 2026-12-31" in text
    assert len(changes) == 8
    with pytest.raises(ValueError):
        R.refresh(None, govuk(events), "23/11/2026")
    with pytest.raises(R.RefreshError, match="older than the calendar"):
        R.refresh(TEXT, govuk(events), "2026-11-23")
    last = int(DATA["covers_to"][:4])
    longer = TEXT.replace(f"covers_to: {last}-12-31", f"covers_to: {last + 1}-12-31")
    with pytest.raises(R.RefreshError, match=f"covers_to would shrink from {last + 1}-12-31 to {last}-12-31"):
        R.refresh(longer, govuk([ev(h["date"], h["title"]) for h in DATA["holidays"] if h["date"] >= str(last)]),
                  DATA["retrieved"])


def test_refresh_main_reads_and_writes_files(tmp_path, capsys):
    src = tmp_path / "bank-holidays.json"
    out = tmp_path / "england-and-wales.yaml"
    out.write_text(TEXT, encoding="utf-8")
    events = [ev(h["date"], h["title"]) for h in DATA["holidays"] if h["date"] >= str(NEXT - 1)]
    events += [ev(h["date"], h["title"]) for h in year_of(NEXT)]
    src.write_text(json.dumps(govuk(events)), encoding="utf-8")
    assert R.main([str(src), "--out", str(out), "--retrieved", "2027-01-15", "--dry-run"]) == 0
    assert out.read_text(encoding="utf-8") == TEXT
    assert R.main([str(src), "--out", str(out), "--retrieved", "2027-01-15"]) == 0
    printed = capsys.readouterr().out
    assert f"added {NEXT}-01-01 New Year’s Day" in printed and "removed" not in printed
    assert f"covers_to: {NEXT}-12-31" in out.read_text(encoding="utf-8")
    assert R.main([str(tmp_path / "missing.json"), "--out", str(out)]) == 2
    src.write_text("{not json", encoding="utf-8")
    assert R.main([str(src), "--out", str(out)]) == 2
    assert "cannot read" in capsys.readouterr().err
