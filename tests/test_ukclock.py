"""UK clock arithmetic, checked against zoneinfo("Europe/London") where tz data exists.

The comparison is exhaustive for 2013-2028: every UTC hour, and every minute from
three hours before to three hours after each of the 32 clock changes. Without tz
data (Pyodide may have none) those tests skip; the worked examples always run.
"""
from __future__ import annotations

import datetime as dt

import pytest

from tools import ukclock as uk

T = dt.datetime
UTC = dt.UTC


def london():
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        return zoneinfo.ZoneInfo("Europe/London")
    except Exception as exc:   # ZoneInfoNotFoundError where the tz database is missing
        pytest.skip(f"no tz data for Europe/London here ({exc})")


# -- the rule --------------------------------------------------------------------------------
@pytest.mark.parametrize("year, start, end", [
    (2026, T(2026, 3, 29, 1), T(2026, 10, 25, 1)),
    (2027, T(2027, 3, 28, 1), T(2027, 10, 31, 1)),
    (2028, T(2028, 3, 26, 1), T(2028, 10, 29, 1)),
    (2013, T(2013, 3, 31, 1), T(2013, 10, 27, 1)),
])
def test_bst_starts_and_ends_at_0100_utc_on_the_last_sundays(year, start, end):
    assert uk.bst_start(year) == start and uk.bst_end(year) == end


def test_the_clocks_change_on_the_last_sunday_of_the_month():
    assert uk.last_sunday(2027, 3) == dt.date(2027, 3, 28)
    assert uk.last_sunday(2027, 10) == dt.date(2027, 10, 31)      # the 31st itself
    assert uk.last_sunday(2026, 12) == dt.date(2026, 12, 27)


# -- worked examples (the docstring's) ------------------------------------------------------------
@pytest.mark.parametrize("start, hours, due", [
    pytest.param(T(2027, 3, 27, 10), 24, T(2027, 3, 28, 11), id="spring forward"),
    (T(2026, 3, 28, 10), 24, T(2026, 3, 29, 11)),
    pytest.param(T(2027, 10, 30, 10), 24, T(2027, 10, 31, 9), id="autumn back"),
    (T(2026, 10, 24, 10), 24, T(2026, 10, 25, 9)),
    pytest.param(T(2027, 3, 28, 0, 30), 1, T(2027, 3, 28, 2, 30), id="over the gap"),
    (T(2027, 3, 28, 11), -24, T(2027, 3, 27, 10)),
    (T(2027, 10, 31, 9), -24, T(2027, 10, 30, 10)),
    (T(2027, 7, 1, 12), 48, T(2027, 7, 3, 12)),
    (T(2027, 1, 1, 23), 2, T(2027, 1, 2, 1)),
])
def test_add_hours_examples(start, hours, due):
    assert uk.add_hours(start, hours) == due


def test_spring_gap_times_do_not_exist():
    for minute in (0, 1, 30, 59):
        local = T(2027, 3, 28, 1, minute)
        assert uk.is_nonexistent(local)
        with pytest.raises(uk.NonexistentTime) as info:
            uk.to_utc(local)
        assert "did not happen in the UK" in str(info.value)
        assert "Sunday 28 March 2027" in str(info.value)
    assert not uk.is_nonexistent(T(2027, 3, 28, 0, 59))
    assert not uk.is_nonexistent(T(2027, 3, 28, 2, 0))
    assert not uk.is_nonexistent(T(2027, 3, 27, 1, 30))


def test_autumn_overlap_times_happen_twice():
    local = T(2027, 10, 31, 1, 30)
    assert uk.is_ambiguous(local)
    assert uk.to_utc(local) == T(2027, 10, 31, 0, 30)             # first: BST
    assert uk.to_utc(local, fold=1) == T(2027, 10, 31, 1, 30)     # second: GMT
    assert uk.to_utc(local.replace(fold=1)) == T(2027, 10, 31, 1, 30)
    assert uk.zone_abbreviation(local) == "BST" and uk.zone_abbreviation(local, 1) == "GMT"
    assert not uk.is_ambiguous(T(2027, 10, 31, 0, 59)) and not uk.is_ambiguous(T(2027, 10, 31, 2, 0))
    # arithmetic keeps the two apart
    second = uk.add_hours(local, 1)
    assert second == local and second.fold == 1
    assert uk.add_hours(second, 1) == T(2027, 10, 31, 2, 30)
    assert uk.elapsed_hours(local, local.replace(fold=1)) == 1


def test_the_repeated_october_hour_is_told_apart_by_fold():
    assert uk.to_local(T(2027, 10, 31, 0, 30)).fold == 0
    assert uk.to_local(T(2027, 10, 31, 1, 30)).fold == 1
    assert uk.to_local(T(2027, 10, 31, 1, 30)) == T(2027, 10, 31, 1, 30)
    aware = dt.datetime(2027, 7, 1, 12, tzinfo=UTC)
    assert uk.to_local(aware) == T(2027, 7, 1, 13)
    assert uk.utc_offset(aware) == dt.timedelta(hours=1)


def test_the_docstring_examples_hold():
    import doctest
    failures, tests = doctest.testmod(uk)
    assert tests > 0 and failures == 0


# -- exhaustive comparison with zoneinfo ----------------------------------------------------------
def _zi_local(utc: T, tz) -> T:
    """zoneinfo's answer as a naive local time with fold."""
    aware = utc.replace(tzinfo=UTC).astimezone(tz)
    return aware.replace(tzinfo=None)


def test_every_utc_hour_2013_2028_matches_zoneinfo():
    tz = london()
    t, end = T(2013, 1, 1), T(2029, 1, 1)
    step = dt.timedelta(hours=1)
    n = 0
    while t < end:
        mine = uk.to_local(t)
        theirs = _zi_local(t, tz)
        assert (mine, mine.fold) == (theirs, theirs.fold), t
        assert uk.utc_offset(t) == t.replace(tzinfo=UTC).astimezone(tz).utcoffset()
        t += step
        n += 1
    assert n == 140_256


def _transitions():
    for year in range(2013, 2029):
        yield uk.bst_start(year)
        yield uk.bst_end(year)


def test_every_minute_around_each_clock_change_matches_zoneinfo():
    tz = london()
    minute = dt.timedelta(minutes=1)
    count = 0
    for change in _transitions():
        # the rule's instants are zoneinfo's transitions
        before = (change - minute).replace(tzinfo=UTC).astimezone(tz).utcoffset()
        after = change.replace(tzinfo=UTC).astimezone(tz).utcoffset()
        assert before != after, change
        for i in range(-180, 181):
            utc = change + i * minute
            mine = uk.to_local(utc)
            theirs = _zi_local(utc, tz)
            assert (mine, mine.fold) == (theirs, theirs.fold), utc
            # and back: local (with fold) -> UTC
            assert uk.to_utc(mine) == utc
            # local clock times around the change, as typed by a person
            local = (change + i * minute).replace(fold=0)
            for fold in (0, 1):
                candidate = local.replace(fold=fold, tzinfo=tz)
                roundtrip = candidate.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
                exists = roundtrip == local
                if uk.is_nonexistent(local):
                    assert not exists
                    with pytest.raises(uk.NonexistentTime):
                        uk.to_utc(local, fold)
                else:
                    assert exists or (fold == 1 and roundtrip.fold == 0), (local, fold)
                    expected = candidate.astimezone(UTC).replace(tzinfo=None)
                    assert uk.to_utc(local, fold) == expected, (local, fold)
                    assert uk.is_ambiguous(local) == (
                        local.replace(fold=0, tzinfo=tz).utcoffset() != local.replace(fold=1, tzinfo=tz).utcoffset())
                count += 1
    assert count == 32 * 361 * 2


def test_property_add_hours_matches_zoneinfo():
    tz = london()
    hyp = pytest.importorskip("hypothesis")
    st = pytest.importorskip("hypothesis.strategies")

    @hyp.settings(max_examples=500, deadline=None, derandomize=True)
    @hyp.given(utc=st.datetimes(T(2013, 1, 2), T(2028, 12, 30)), hours=st.integers(-400, 400))
    def check(utc, hours):
        utc = utc.replace(second=0, microsecond=0)
        start = uk.to_local(utc)
        due = uk.add_hours(start, hours)
        expected = _zi_local(utc + dt.timedelta(hours=hours), tz)
        assert (due, due.fold) == (expected, expected.fold)
        assert uk.elapsed_hours(start, due) == hours

    check()
