"""Each automatic check of the convention's checklist."""
from datetime import date, timedelta
from decimal import Decimal

from app.conventions import services
from app.extensions import db

TODAY = date(2026, 11, 24)


def _check(c, code):
    return next(item for item in services.automatic_checks(c, TODAY) if item.code == code)


def test_a_clean_convention_passes_every_check(convention):
    c = convention()
    assert [i.label for i in services.automatic_checks(c, TODAY) if not i.ok] == []
    assert services.problems(c, TODAY) == []


def test_gratification_below_minimum_fails_with_both_figures(convention):
    c = convention(agreed_amount=Decimal("4.00"), agreed_unit="hour")
    item = _check(c, "gratification")
    assert not item.ok and "4,00" in item.detail and "4,50" in item.detail


def test_gratification_missing_when_due_fails(convention):
    c = convention(agreed_amount=None)
    assert not _check(c, "gratification").ok


def test_abroad_gratification_is_information(convention, make):
    c = convention(host=make.host(city="Genève", country="Suisse", headcount=40),
                   country="Suisse", agreed_amount=Decimal("1"), agreed_unit="hour")
    assert _check(c, "gratification").ok


def test_leave_conditions_required_above_two_months(convention):
    c = convention()
    c.leave_conditions = None
    db.session.commit()
    assert not _check(c, "leave").ok


def test_tutors_and_approval(convention):
    c = convention(approve=False, host_tutor_name=None)
    assert not _check(c, "tutors").ok
    assert not _check(c, "approval").ok


def test_host_quota_small_host_edges(convention, make):
    host = make.host(name="Petit service", headcount=19)
    for _ in range(3):
        convention(host=host)
    fourth = convention(host=host)
    item = _check(fourth, "quota")
    assert not item.ok and "3 stagiaires au plus" in item.detail and "Dépassé" in item.detail


def test_host_quota_large_host_rounds_up(convention, make):
    host = make.host(name="Grand service", headcount=21)  # 15 % of 21 = 3.15 -> 4
    for _ in range(3):
        convention(host=host)
    assert _check(convention(host=host), "quota").ok
    assert not _check(convention(host=host), "quota").ok


def test_quota_ignores_interns_at_other_times(convention, make):
    host = make.host(name="Service", headcount=10)
    for _ in range(3):
        convention(host=host, start_date=date(2027, 4, 8), end_date=date(2027, 6, 30))
    later = convention(host=host, start_date=date(2027, 7, 5),
                       end_date=date(2027, 7, 5) + timedelta(weeks=12, days=-1))
    assert _check(later, "quota").ok


def test_unknown_headcount_fails_the_quota_check(convention, make):
    c = convention(host=make.host(name="Sans effectif", headcount=None))
    assert "Effectif de l’organisme inconnu" in _check(c, "quota").detail


def test_host_tutor_with_three_conventions_in_progress(convention, make):
    for _ in range(3):
        convention(host_tutor_email="tuteur@example.org", host=make.host(headcount=100))
    c = convention(host_tutor_email="tuteur@example.org", host=make.host(headcount=100))
    item = _check(c, "host_tutor_load")
    assert not item.ok and "3 autre(s)" in item.detail


def test_window_and_duration_checks_follow_the_year(convention, year_2026):
    c = convention()
    year_2026.earliest_start = date(2027, 4, 15)
    year_2026.min_weeks = 14
    db.session.commit()
    assert not _check(c, "window").ok
    assert not _check(c, "duration").ok
