"""Which year a page opens on, and the first day of a defence (app.rules.years)."""
from datetime import date, datetime

from app.rules import scheduling
from app.rules.years import YearWork, academic_start_year, default_year, first_defense_day, is_open

JUNE, SEPT_25, NEXT_OCT = date(2027, 6, 10), date(2027, 9, 25), date(2027, 10, 5)
APRIL_2028 = date(2028, 4, 10)  # the new year's internships may begin


def test_the_academic_year_starts_on_1_september():
    assert academic_start_year(date(2027, 8, 31)) == 2026
    assert academic_start_year(date(2027, 9, 1)) == 2027


def test_work_is_open_while_anything_is_left():
    held = YearWork(2026, last_internship_end=date(2027, 7, 30), last_defense=date(2027, 9, 6))
    assert not is_open(held, SEPT_25)
    assert is_open(held, date(2027, 9, 6))  # the day of the last defence
    assert is_open(YearWork(2026, last_defense=date(2027, 9, 28)), SEPT_25)
    assert is_open(YearWork(2026, last_internship_end=date(2027, 9, 30)), SEPT_25)
    assert is_open(YearWork(2026, undefended=1), SEPT_25)
    assert is_open(YearWork(2026, open_evaluations=2), SEPT_25)
    assert not is_open(YearWork(2026), SEPT_25)


def test_the_running_year_keeps_the_page_until_its_work_is_done():
    open_work = YearWork(2026, last_defense=date(2027, 9, 6), open_evaluations=3)
    assert default_year(SEPT_25, open_work, date(2028, 4, 10)) == 2026
    done = YearWork(2026, last_defense=date(2027, 9, 6))
    assert default_year(NEXT_OCT, done, date(2028, 4, 10)) == 2027


def test_never_simply_the_year_of_today_nor_an_older_year():
    # in June the year of today is the running one, whatever the year before left
    assert default_year(JUNE, YearWork(2025, undefended=4), date(2027, 4, 8)) == 2026
    # only the year just before may hold the page
    assert default_year(SEPT_25, YearWork(2025, undefended=4), None) == 2027
    assert default_year(SEPT_25, None) == 2027


def test_leftovers_give_way_when_the_new_internships_begin():
    stuck = YearWork(2026, open_evaluations=1)  # a host that never answered
    assert default_year(date(2028, 3, 1), stuck, APRIL_2028) == 2026
    assert default_year(APRIL_2028, stuck, APRIL_2028) == 2027


def test_first_defense_day_is_the_end_plus_the_gap():
    assert first_defense_day(date(2027, 8, 27), 0) == date(2027, 8, 27)
    assert first_defense_day(date(2027, 8, 27), 10) == date(2027, 9, 6)
    assert first_defense_day(date(2027, 8, 27), -3) == date(2027, 8, 27)


def test_the_scheduler_places_no_one_before_their_first_day():
    slots = [scheduling.Slot(datetime(2027, 3, 26, 9), 30, "A"),
             scheduling.Slot(datetime(2027, 9, 6, 9), 30, "A")]
    result = scheduling.schedule([scheduling.Candidate(1, 10, date(2027, 9, 1))], slots,
                                 [10, 11])
    assert [p.slot.starts_at.date() for p in result.placed] == [date(2027, 9, 6)]
    result = scheduling.schedule([scheduling.Candidate(1, 10, date(2027, 9, 7))], slots,
                                 [10, 11])
    assert not result.placed and 1 in result.unplaced
