"""Working days: examples, coverage refusals, and an independent oracle.

The oracle is ``numpy.busday_offset`` with the England bank holidays of the
``holidays`` package (not our YAML): exhaustively for every start date 2013-2028
and every span 1-60, and property-based (hypothesis) with random closure days.
Those three packages are skipped where they are missing (Pyodide); the examples
run everywhere.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tools.wording import long_date
from tools.workingdays import OutsideCoverage, WorkingCalendar, calendar_for, make_calendar, to_date

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


def real_calendar() -> WorkingCalendar:
    yaml = pytest.importorskip("yaml")
    data = yaml.safe_load((ROOT / "rules/calendar/england-and-wales.yaml").read_text(encoding="utf-8"))
    return make_calendar(str(data["covers_from"]), str(data["covers_to"]),
                         [{"date": str(h["date"]), "title": h["title"]} for h in data["holidays"]])


SMALL = make_calendar("2026-01-01", "2027-12-31", [
    {"date": "2026-12-25", "title": "Christmas Day"}, {"date": "2026-12-28", "title": "Boxing Day (substitute day)"},
    {"date": "2027-01-01", "title": "New Year’s Day"}])


# -- examples ----------------------------------------------------------------------------------
@pytest.mark.parametrize("start, n, due", [
    (D(2026, 12, 23), 1, D(2026, 12, 24)),
    (D(2026, 12, 23), 2, D(2026, 12, 29)),
    (D(2026, 12, 24), 1, D(2026, 12, 29)),
    pytest.param(D(2026, 12, 25), 1, D(2026, 12, 29), id="holiday: next working day is day 1"),
    pytest.param(D(2026, 11, 28), 1, D(2026, 11, 30), id="Saturday + 1 = Monday"),
    pytest.param(D(2026, 11, 29), 1, D(2026, 11, 30), id="Sunday + 1 = Monday"),
    pytest.param(D(2026, 11, 27), 1, D(2026, 11, 30), id="Friday + 1 = Monday"),
    (D(2026, 11, 28), 2, D(2026, 12, 1)),
    (D(2026, 12, 31), 1, D(2027, 1, 4)),
    (D(2026, 12, 23), 0, D(2026, 12, 23)),
    (D(2026, 11, 28), 0, D(2026, 11, 30)),
])
def test_working_days_after(start, n, due):
    assert SMALL.working_days_after(start, n) == due


@pytest.mark.parametrize("start, n, due", [
    (D(2027, 1, 4), 1, D(2026, 12, 31)),
    (D(2026, 12, 29), 2, D(2026, 12, 23)),
    (D(2026, 11, 30), 1, D(2026, 11, 27)),
    pytest.param(D(2026, 11, 28), 1, D(2026, 11, 27), id="Saturday - 1 = Friday"),
    (D(2026, 11, 29), 2, D(2026, 11, 26)),
    (D(2026, 11, 28), 0, D(2026, 11, 27)),
    (D(2026, 11, 27), 0, D(2026, 11, 27)),
])
def test_working_days_before(start, n, due):
    assert SMALL.working_days_before(start, n) == due


def test_negative_offsets_mirror():
    assert SMALL.working_days_after(D(2026, 12, 29), -2) == D(2026, 12, 23)
    assert SMALL.working_days_before(D(2026, 12, 23), -2) == D(2026, 12, 29)


def test_is_working_day_and_why_not():
    assert SMALL.is_working_day(D(2026, 12, 24))
    assert not SMALL.is_working_day(D(2026, 12, 25))
    assert SMALL.why_not_working(D(2026, 12, 25)) == "a bank holiday (Christmas Day)"
    assert SMALL.why_not_working(D(2026, 12, 26)) == "a Saturday"
    assert SMALL.why_not_working(D(2026, 12, 27)) == "a Sunday"
    assert SMALL.why_not_working(D(2026, 12, 24)) is None
    assert SMALL.next_working_day(D(2026, 12, 25)) == D(2026, 12, 29)
    assert SMALL.previous_working_day(D(2026, 12, 28)) == D(2026, 12, 24)
    assert SMALL.next_working_day(D(2026, 12, 24)) == D(2026, 12, 24)


def test_closure_days_are_not_working_days():
    cal = make_calendar("2026-01-01", "2027-12-31", SMALL.holidays,
                        [{"date": "2026-12-29", "title": "Council closure day"}])
    assert cal.why_not_working(D(2026, 12, 29)) == "a local closure day (Council closure day)"
    assert cal.working_days_after(D(2026, 12, 24), 1) == D(2026, 12, 30)
    assert SMALL.working_days_after(D(2026, 12, 24), 1) == D(2026, 12, 29)


def test_count_working_days():
    assert SMALL.count_working_days(D(2026, 12, 23), D(2026, 12, 29)) == 2
    assert SMALL.count_working_days(D(2026, 12, 29), D(2026, 12, 23)) == -2
    assert SMALL.count_working_days(D(2026, 12, 25), D(2026, 12, 28)) == 0


def test_outside_coverage_is_refused_never_guessed():
    with pytest.raises(OutsideCoverage) as info:
        SMALL.working_days_after(D(2027, 12, 31), 1)
    assert info.value.side == "after" and info.value.needed == D(2028, 1, 1)
    assert info.value.covers_to == D(2027, 12, 31)
    assert SMALL.working_days_before(D(2026, 1, 2), 1) == D(2026, 1, 1)   # no holiday listed that day
    with pytest.raises(OutsideCoverage):
        SMALL.working_days_before(D(2026, 1, 2), 2)                         # would need 2025
    with pytest.raises(OutsideCoverage):
        SMALL.is_working_day(D(2028, 1, 3))
    with pytest.raises(OutsideCoverage):
        SMALL.working_days_after(D(2025, 12, 31), 1)    # the start itself is outside
    with pytest.raises(OutsideCoverage):
        SMALL.next_working_day(D(2027, 12, 31) + dt.timedelta(days=1))


def test_before_coverage_start():
    cal = make_calendar("2026-01-01", "2026-12-31", [{"date": "2026-01-01", "title": "New Year’s Day"}])
    assert cal.working_days_before(D(2026, 1, 5), 1) == D(2026, 1, 2)
    with pytest.raises(OutsideCoverage) as info:
        cal.working_days_before(D(2026, 1, 2), 1)
    assert info.value.side == "before" and info.value.needed == D(2025, 12, 31)
    with pytest.raises(OutsideCoverage):
        cal.previous_working_day(D(2026, 1, 1))


def test_the_last_covered_days():
    cal = make_calendar("2026-01-01", "2026-12-31", [])
    assert cal.working_days_after(D(2026, 12, 30), 1) == D(2026, 12, 31)
    with pytest.raises(OutsideCoverage):
        cal.working_days_after(D(2026, 12, 31), 1)
    with pytest.raises(OutsideCoverage):
        cal.working_days_after(D(2026, 12, 30), 2)


def test_calendars_are_cached_and_accept_several_shapes():
    a = make_calendar("2026-01-01", "2026-12-31", [{"date": "2026-12-25", "title": "Christmas Day"}])
    b = make_calendar(D(2026, 1, 1), D(2026, 12, 31), {D(2026, 12, 25): "Christmas Day"})
    assert a is b
    c = make_calendar("2026-01-01", "2026-12-31", ["2026-12-25"])
    assert not c.is_working_day(D(2026, 12, 25))
    with pytest.raises(ValueError):
        make_calendar("2026-12-31", "2026-01-01")


def test_calendar_for_a_bundle_area():
    bundle = {"calendar": {"covers_from": "2026-01-01", "covers_to": "2026-12-31",
                           "holidays": [{"date": "2026-12-25", "title": "Christmas Day"}]},
              "areas": {"x": {"closure_days": [{"date": "2026-12-24", "title": "Closed"}]},
                        "y": {"closure_days": []}}}
    assert not calendar_for(bundle, "x").is_working_day(D(2026, 12, 24))
    assert calendar_for(bundle, "y").is_working_day(D(2026, 12, 24))
    assert calendar_for(bundle).is_working_day(D(2026, 12, 24))


def test_helpers():
    assert long_date(D(2026, 12, 24)) == "Thursday 24 December 2026"
    assert to_date("2026-12-24") == to_date(dt.datetime(2026, 12, 24, 9)) == D(2026, 12, 24)
    assert "130 bank holidays" not in repr(SMALL) and "3 bank holidays" in repr(SMALL)


def test_doctests():
    import doctest

    import tools.workingdays
    failures, tests = doctest.testmod(tools.workingdays)
    assert tests > 0 and failures == 0


# -- the real calendar, against an independent oracle ----------------------------------------------
def oracle_holidays(extra=()):
    """England bank holidays 2013-2028 from the ``holidays`` package (weekday dates only:
    the package also lists the weekend day a substitute replaces)."""
    holidays = pytest.importorskip("holidays")
    eng = holidays.country_holidays("GB", subdiv="ENG", years=range(2013, 2029))
    return sorted({d for d in eng if d.weekday() < 5} | set(extra))


def test_every_start_date_and_span_against_numpy_busday_offset():
    np = pytest.importorskip("numpy")
    cal = real_calendar()
    busdays = np.busdaycalendar(holidays=np.array(oracle_holidays(), dtype="datetime64[D]"))
    starts = np.arange(np.datetime64("2013-01-01"), np.datetime64("2029-01-01"))
    checked = refused = 0
    for n in range(1, 61):
        after = np.busday_offset(starts, n, roll="backward", busdaycal=busdays)
        before = np.busday_offset(starts, -n, roll="forward", busdaycal=busdays)
        for s, a, b in zip(starts.tolist(), after.tolist(), before.tolist(), strict=True):
            if a <= cal.covers_to:
                assert cal.working_days_after(s, n) == a, (s, n)
                checked += 1
            else:
                with pytest.raises(OutsideCoverage):
                    cal.working_days_after(s, n)
                refused += 1
            if b >= cal.covers_from:
                assert cal.working_days_before(s, n) == b, (s, n)
                checked += 1
            else:
                with pytest.raises(OutsideCoverage):
                    cal.working_days_before(s, n)
                refused += 1
    assert checked > 600_000 and refused > 0


def test_is_working_day_against_numpy_every_day():
    np = pytest.importorskip("numpy")
    cal = real_calendar()
    busdays = np.busdaycalendar(holidays=np.array(oracle_holidays(), dtype="datetime64[D]"))
    days = np.arange(np.datetime64("2013-01-01"), np.datetime64("2029-01-01"))
    expected = np.is_busday(days, busdaycal=busdays)
    got = [cal.is_working_day(d) for d in days.tolist()]
    assert got == expected.tolist()


def _hyp():
    return pytest.importorskip("hypothesis"), pytest.importorskip("hypothesis.strategies")


def test_property_offsets_with_closure_days_against_numpy():
    np = pytest.importorskip("numpy")
    hyp, st = _hyp()
    base = oracle_holidays()
    cal_data = real_calendar()

    @hyp.settings(max_examples=300, deadline=None, derandomize=True)
    @hyp.given(start=st.dates(D(2013, 1, 1), D(2028, 12, 31)), n=st.integers(1, 60),
               direction=st.sampled_from(["after", "before"]),
               closures=st.lists(st.dates(D(2013, 1, 1), D(2028, 12, 31)), max_size=8))
    def check(start, n, direction, closures):
        cal = make_calendar(cal_data.covers_from, cal_data.covers_to, cal_data.holidays,
                            [{"date": d.isoformat(), "title": "Closed"} for d in closures])
        busdays = np.busdaycalendar(holidays=np.array(sorted(set(base) | set(closures)), dtype="datetime64[D]"))
        if direction == "after":
            want = np.busday_offset(np.datetime64(start), n, roll="backward", busdaycal=busdays).tolist()
            fn = cal.working_days_after
        else:
            want = np.busday_offset(np.datetime64(start), -n, roll="forward", busdaycal=busdays).tolist()
            fn = cal.working_days_before
        if cal.covers(want):
            assert fn(start, n) == want
        else:
            with pytest.raises(OutsideCoverage):
                fn(start, n)

    check()


def test_property_before_undoes_after_and_count_inverts():
    hyp, st = _hyp()
    cal = real_calendar()

    @hyp.settings(max_examples=300, deadline=None, derandomize=True)
    @hyp.given(start=st.dates(D(2013, 1, 1), D(2028, 10, 1)), n=st.integers(1, 60))
    def check(start, n):
        due = cal.working_days_after(start, n)
        assert cal.is_working_day(due) and due > start
        assert cal.count_working_days(start, due) == n
        # from a working day, going back n working days returns to it
        first = cal.next_working_day(start)
        assert cal.working_days_before(cal.working_days_after(first, n), n) == first
        # monotone: one more working day is later
        assert cal.working_days_after(start, n + 1) > due

    check()


def test_property_against_holidays_get_nth_working_day():
    holidays = pytest.importorskip("holidays")
    hyp, st = _hyp()
    cal = real_calendar()
    eng = holidays.country_holidays("GB", subdiv="ENG", years=range(2012, 2030))

    @hyp.settings(max_examples=200, deadline=None, derandomize=True)
    @hyp.given(start=st.dates(D(2013, 1, 1), D(2028, 10, 1)), n=st.integers(1, 60))
    def check(start, n):
        # holidays' n-th working day from a non-working day first rolls forward (its day 0 is the
        # next working day); ours counts that next working day as day 1. From a working day they agree.
        first = cal.next_working_day(start)
        assert cal.working_days_after(first, n) == eng.get_nth_working_day(first, n)
        back = eng.get_nth_working_day(first, -n)
        if back >= cal.covers_from:
            assert cal.working_days_before(first, n) == back

    check()
