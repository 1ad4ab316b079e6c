"""The calendar and gratification rules, checked against RULES.md's worked example."""
from datetime import date
from decimal import Decimal

import pytest

from app.rules.calendar import (
    CalendarError,
    Period,
    Schedule,
    length_in_weeks,
    parse_days,
    presence_days,
    public_holidays,
)
from app.rules.gratification import Agreement, compute, rate_for

FULL_TIME = Schedule(frozenset(range(5)), Decimal(35))
RATE = Decimal("4.50")


def test_reference_example_twelve_weeks_to_the_cent():
    r = compute(date(2026, 4, 8), date(2026, 6, 30), FULL_TIME, RATE)
    assert length_in_weeks(r.start, r.end) == 12
    assert (r.days, r.hours) == (56, Decimal(392))
    assert r.total == Decimal("1764.00")
    assert r.smoothed_monthly == Decimal("588.00")
    assert [(m.key, m.hours) for m in r.months] == [
        ("2026-04", 119), ("2026-05", 119), ("2026-06", 154)]
    assert [m.amount for m in r.months] == [Decimal("535.50"), Decimal("535.50"),
                                            Decimal("693.00")]
    assert r.due and r.threshold_date == date(2026, 6, 15)
    assert set(r.holidays_off) == {date(2026, 5, 1), date(2026, 5, 8), date(2026, 5, 14),
                                   date(2026, 5, 25)}


def test_reference_example_sixteen_weeks():
    r = compute(date(2026, 4, 8), date(2026, 7, 28), FULL_TIME, RATE)
    assert length_in_weeks(r.start, r.end) == 16
    assert (r.days, r.hours, r.total) == (75, Decimal(525), Decimal("2362.50"))
    assert date(2026, 7, 14) in r.holidays_off


def test_a_full_month_is_693_euros():
    r = compute(date(2026, 6, 1), date(2026, 6, 30), FULL_TIME, RATE)
    assert (r.days, r.hours, r.total) == (22, Decimal(154), Decimal("693.00"))


def test_307_hours_is_not_due_308_neither_and_309_is():
    one_hour_a_day = Schedule(frozenset(range(5)), Decimal(5))
    start = date(2026, 9, 1)
    days = presence_days(start, date(2027, 12, 31), one_hour_a_day)
    for n_hours, due in ((307, False), (308, False), (309, True)):
        r = compute(start, days[n_hours - 1], one_hour_a_day, RATE)
        assert (r.hours, r.due) == (n_hours, due)
        assert r.threshold_date == (days[308] if due else None)
    assert compute(start, days[308], one_hour_a_day, RATE).total == Decimal("1390.50")


def test_leap_year_counts_february_29():
    r = compute(date(2028, 2, 28), date(2028, 3, 1), FULL_TIME, RATE)
    assert r.days == 3  # Mon 28, Tue 29, Wed 1


def test_across_a_new_year():
    r = compute(date(2026, 12, 21), date(2027, 1, 8), FULL_TIME, RATE)
    # Dec 21-24, 28-31 (Christmas off), Jan 4-8 (Jan 1 off, a Friday)
    assert r.days == 4 + 4 + 5
    assert [m.key for m in r.months] == ["2026-12", "2027-01"]
    assert date(2026, 12, 25) in r.holidays_off and date(2027, 1, 1) in r.holidays_off


def test_six_day_week_spreads_the_weekly_hours():
    six = Schedule(parse_days("mon,tue,wed,thu,fri,sat"), Decimal(36))
    r = compute(date(2026, 6, 1), date(2026, 6, 13), six, RATE)
    assert r.days == 12 and r.hours == Decimal(72)


def test_holidays_worked():
    r = compute(date(2026, 5, 1), date(2026, 5, 31), FULL_TIME, RATE, holidays_worked=True)
    assert r.days == 21 and r.holidays_off == {}
    assert compute(date(2026, 5, 1), date(2026, 5, 31), FULL_TIME, RATE).days == 17


def test_alsace_moselle_has_good_friday_and_december_26():
    assert date(2026, 4, 3) in public_holidays(date(2026, 4, 1), date(2026, 4, 30),
                                               "alsace-moselle")
    assert date(2026, 4, 3) not in public_holidays(date(2026, 4, 1), date(2026, 4, 30))
    metro = compute(date(2026, 3, 30), date(2026, 4, 10), FULL_TIME, RATE)
    alsace = compute(date(2026, 3, 30), date(2026, 4, 10), FULL_TIME, RATE,
                     zone="alsace-moselle")
    assert metro.days - alsace.days == 1
    dec = compute(date(2025, 12, 22), date(2025, 12, 31), FULL_TIME, RATE, zone="alsace-moselle")
    assert date(2025, 12, 26) in dec.holidays_off


def test_absences_are_removed():
    r = compute(date(2026, 6, 1), date(2026, 6, 30), FULL_TIME, RATE,
                absences=[Period(date(2026, 6, 8), date(2026, 6, 12))])
    assert (r.days, r.hours) == (17, Decimal(119))


def test_agreed_gratification_compared_with_both_figures():
    r = compute(date(2026, 4, 8), date(2026, 6, 30), FULL_TIME, RATE,
                agreed=Agreement(Decimal("4.00"), "hour"))
    assert not r.comparison.ok
    assert "4,00\u00a0€ de l’heure" in r.comparison.message
    assert "4,50\u00a0€ de l’heure" in r.comparison.message
    ok = compute(date(2026, 4, 8), date(2026, 6, 30), FULL_TIME, RATE,
                 agreed=Agreement(Decimal("600.00"), "month"))
    assert ok.comparison.ok and ok.comparison.excess_total == Decimal("36.00")
    low = compute(date(2026, 4, 8), date(2026, 6, 30), FULL_TIME, RATE,
                  agreed=Agreement(Decimal("550.00"), "month"))
    assert not low.comparison.ok and "588,00\u00a0€ par mois" in low.comparison.message


def test_rate_for_a_date_uses_that_year_or_the_latest_before():
    rates = {2024: Decimal("4.35"), 2025: Decimal("4.35"), 2026: Decimal("4.50")}
    assert rate_for(date(2026, 3, 1), rates) == Decimal("4.50")
    assert rate_for(date(2027, 3, 1), rates) == Decimal("4.50")
    assert rate_for(date(2025, 12, 31), rates) == Decimal("4.35")
    assert rate_for(date(2020, 1, 1), rates) is None


def test_bad_calendar_input_names_the_field():
    with pytest.raises(CalendarError) as err:
        parse_days("mon,funday")
    assert err.value.field == "days"
    with pytest.raises(CalendarError) as err:
        presence_days(date(2026, 5, 2), date(2026, 5, 1), FULL_TIME)
    assert err.value.field == "end"
    with pytest.raises(CalendarError):
        Schedule(frozenset(), Decimal(35))
    with pytest.raises(CalendarError):
        public_holidays(date(2026, 1, 1), date(2026, 2, 1), "corse")


def test_no_float_in_money():
    r = compute(date(2026, 4, 8), date(2026, 6, 30), FULL_TIME, Decimal("4.35"))
    for value in (r.total, r.smoothed_monthly, r.hourly_rate, *(m.amount for m in r.months)):
        assert isinstance(value, Decimal)
    assert r.total == Decimal("1705.20")


def test_no_minimum_to_reach_when_no_gratification_is_due():
    ten_hours = Schedule(frozenset(range(5)), Decimal(10))   # 12 weeks at 10 h: 120 hours
    r = compute(date(2027, 4, 12), date(2027, 7, 2), ten_hours, RATE,
                agreed=Agreement(Decimal("50"), "month"))
    assert not r.due
    assert r.comparison.ok and not r.comparison.required
    assert "facultative" in r.comparison.message
    assert "inférieure" not in r.comparison.message
    due = compute(date(2027, 4, 12), date(2027, 7, 2), FULL_TIME, RATE,
                  agreed=Agreement(Decimal("50"), "month"))
    assert not due.comparison.ok and "inférieure au minimum légal" in due.comparison.message
