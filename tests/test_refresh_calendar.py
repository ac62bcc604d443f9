"""``procedures refresh-calendar FILE`` checks before it writes (issue 20): every case of
tests/cases/refresh_calendar.yaml (a real GOV.UK file, changed as the case says) is run
through the command, and its exit status and message are what the case says; a refused case
leaves the calendar byte for byte as it was, and a case that writes leaves a calendar that
passes the calendar check of ``procedures check`` (and no temporary file beside it)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from macros.rules import calendar_refresh as R

ROOT = Path(__file__).resolve().parent.parent
GOVUK = ROOT / "tests" / "fixtures" / "govuk"
PROJECT_CALENDAR = (ROOT / "rules" / "calendar" / "england-and-wales.yaml").read_text(encoding="utf-8")
CASES = yaml.safe_load((ROOT / "tests" / "cases" / "refresh_calendar.yaml").read_text(encoding="utf-8"))
OUT = "rules/calendar/england-and-wales.yaml"


def calendar_to_2027() -> str:
    """The project's calendar as it stood before 2028 was added: what a 2024-2027 file refreshes."""
    data = R.read_calendar_yaml(PROJECT_CALENDAR)
    data["holidays"] = [h for h in data["holidays"] if h["date"] < "2028"]
    data["covers_to"] = "2027-12-31"
    return R.render(data)


def value(v):
    if isinstance(v, dict) and set(v) == {"repeat", "bytes"}:
        return (v["repeat"] * (v["bytes"] // len(v["repeat"]) + 1))[: v["bytes"]]
    return v


def govuk_file(case: dict) -> str:
    data = json.loads((GOVUK / case.get("govuk", "govuk-bank-holidays-2024-2027.json")).read_text(encoding="utf-8"))
    events = data["england-and-wales"]["events"]
    for date, fields in (case.get("set") or {}).items():
        event = next(e for e in events if e["date"] == date)
        event.update({k: value(v) for k, v in fields.items()})
    events[:] = [e for e in events if e["date"] not in case.get("drop", [])] + case.get("add", [])
    if case.get("pad_bytes"):
        data["padding"] = "x" * case["pad_bytes"]
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_refresh_calendar(case, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bank-holidays.json").write_text(govuk_file(case), encoding="utf-8")
    calendar = tmp_path / OUT
    calendar.parent.mkdir(parents=True)
    before = {"to-2027": calendar_to_2027(), "project": PROJECT_CALENDAR, "none": None}[case.get("current", "to-2027")]
    if before is not None:
        calendar.write_bytes(before.encode("utf-8"))

    status = R.main(["bank-holidays.json", "--out", OUT, "--retrieved", "2026-11-23"])

    printed = capsys.readouterr()
    said = printed.out + printed.err
    assert status == case["status"], said[:2000]
    for line in case["message"]:
        assert line in said, said[:2000]
    assert "Traceback" not in said
    assert sorted(p.name for p in calendar.parent.iterdir()) == ([] if before is None and status else [calendar.name])
    if status:
        assert before is None or calendar.read_bytes() == before.encode("utf-8")
        assert printed.out == ""
    else:
        assert R.check_result(calendar.read_text(encoding="utf-8")) == []


def test_the_refreshed_calendar_lists_every_england_and_wales_day_of_the_govuk_file(tmp_path):
    """The good path, day by day: the real 2019-2027 file, no calendar before it."""
    data = json.loads((GOVUK / "govuk-bank-holidays-2019-2027.json").read_text(encoding="utf-8"))
    text, _ = R.refresh(None, data, "2026-11-23")
    written = {h["date"] for h in R.read_calendar_yaml(text)["holidays"]}
    assert written == {e["date"] for e in data["england-and-wales"]["events"]}
    assert R.check_result(text) == []


def test_a_title_of_five_megabytes_is_refused_even_when_the_file_is_read(tmp_path):
    """The size limit on the file comes first; the title's own limit holds without it."""
    data = json.loads((GOVUK / "govuk-bank-holidays-2024-2027.json").read_text(encoding="utf-8"))
    data["england-and-wales"]["events"][0]["title"] = "New Year " * 600_000
    with pytest.raises(R.RefreshError, match=r"the title is 5,399,999 characters long, more than 120"):
        R.parse_govuk(data)


def test_a_failed_write_leaves_the_calendar_as_it_was(tmp_path, monkeypatch):
    """The new file is written beside the old one and renamed over it; when the write fails,
    the old file is intact and no temporary file is left."""
    calendar = tmp_path / "england-and-wales.yaml"
    calendar.write_text(PROJECT_CALENDAR, encoding="utf-8")

    def full_disk(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(R.os, "fsync", full_disk)
    with pytest.raises(OSError):
        R.write_atomically(calendar, "holidays: []\n")
    assert calendar.read_text(encoding="utf-8") == PROJECT_CALENDAR
    assert [p.name for p in tmp_path.iterdir()] == [calendar.name]
