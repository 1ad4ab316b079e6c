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
    first = [convention(host=host, validate=True) for _ in range(3)]
    fourth = convention(host=host)
    item = _check(fourth, "quota")
    assert not item.ok and "3 stagiaires au plus" in item.detail and "Dépassé" in item.detail
    # the refusal names the conventions already validated
    assert all(c.internship.student.full_name in item.detail for c in first)


def test_host_quota_large_host_rounds_up(convention, make):
    host = make.host(name="Grand service", headcount=21)  # 15 % of 21 = 3.15 -> 4
    for _ in range(3):
        convention(host=host, validate=True)
    assert _check(convention(host=host, validate=True), "quota").ok
    assert not _check(convention(host=host), "quota").ok


def test_quota_counts_validated_conventions_only(convention, make, app):
    """Four submitted together at a 12-staff host: none counts the others, the first three
    validated pass, the fourth is refused (validation order decides)."""
    host = make.host(name="Service", headcount=12)
    waiting = [convention(host=host) for _ in range(4)]
    assert all(_check(c, "quota").ok for c in waiting)
    desk = make.user("secretariat")
    done, refused = services.validate_many([c.id for c in waiting], desk, TODAY)
    assert [c.id for c in done] == [c.id for c in waiting[:3]]
    assert [c.id for c, _ in refused] == [waiting[3].id]
    assert "Quota de stagiaires" in refused[0][1]


def test_quota_by_calendar_week(convention, make):
    """Three validated interns until Sunday 4 July; a fourth starting Monday 5 July is in
    another calendar week, one starting Sunday 4 July is in the same one."""
    host = make.host(name="Service", headcount=10)
    for _ in range(3):
        convention(host=host, start_date=date(2027, 4, 8), end_date=date(2027, 7, 4),
                   validate=True)
    monday = convention(host=host, start_date=date(2027, 7, 5),
                        end_date=date(2027, 7, 5) + timedelta(weeks=12, days=-1))
    assert _check(monday, "quota").ok
    sunday = convention(host=host, start_date=date(2027, 7, 4),
                        end_date=date(2027, 7, 4) + timedelta(weeks=12, days=-1))
    assert not _check(sunday, "quota").ok


def test_quota_ignores_interns_at_other_times(convention, make):
    host = make.host(name="Service", headcount=10)
    for _ in range(3):
        convention(host=host, start_date=date(2027, 4, 8), end_date=date(2027, 6, 30),
                   validate=True)
    later = convention(host=host, start_date=date(2027, 7, 5),
                       end_date=date(2027, 7, 5) + timedelta(weeks=12, days=-1))
    assert _check(later, "quota").ok


def test_unknown_headcount_fails_the_quota_check(convention, make):
    c = convention(host=make.host(name="Sans effectif", headcount=None))
    assert "Effectif de l’organisme inconnu" in _check(c, "quota").detail


def test_host_tutor_with_three_conventions_in_progress(convention, make):
    for _ in range(3):
        convention(host_tutor_email="tuteur@example.org", host=make.host(headcount=100),
                   validate=True)
    c = convention(host_tutor_email="tuteur@example.org", host=make.host(headcount=100))
    item = _check(c, "host_tutor_load")
    assert not item.ok and "déjà nommé·e dans 3 conventions en cours" in item.detail


def test_the_host_tutor_load_reads_as_a_sentence(convention, make):
    first = convention(host_tutor_email="tuteur@example.org", host_tutor_name="Jeanne Roy",
                       host=make.host(headcount=100))
    assert _check(first, "host_tutor_load").detail == (
        "Jeanne Roy n’a pas d’autre convention en cours pendant ce stage.")
    convention(host_tutor_email="tuteur@example.org", host=make.host(headcount=100),
               validate=True)
    assert _check(first, "host_tutor_load").detail == (
        "Jeanne Roy a une autre convention en cours pendant ce stage.")
    convention(host_tutor_email="tuteur@example.org", host=make.host(headcount=100),
               validate=True)
    assert _check(first, "host_tutor_load").detail == (
        "Jeanne Roy a 2 autres conventions en cours pendant ce stage.")


def test_host_tutor_counts_overlapping_dates_only(convention, make):
    """Her three conventions end on 30 June; a fourth starting on 1 July passes, one
    starting on 30 June (one day in common) does not."""
    for _ in range(3):
        convention(host_tutor_email="tuteur@example.org", host=make.host(headcount=100),
                   validate=True)
    after = convention(host_tutor_email="tuteur@example.org", host=make.host(headcount=100),
                       start_date=date(2027, 7, 1), end_date=date(2027, 9, 22))
    assert _check(after, "host_tutor_load").ok
    same_day = convention(host_tutor_email="tuteur@example.org",
                          host=make.host(headcount=100), start_date=date(2027, 6, 30),
                          end_date=date(2027, 9, 21))
    assert not _check(same_day, "host_tutor_load").ok


def test_submitted_conventions_do_not_count_for_the_tutor(convention, make):
    for _ in range(3):
        convention(host_tutor_email="tuteur@example.org", host=make.host(headcount=100))
    c = convention(host_tutor_email="tuteur@example.org", host=make.host(headcount=100))
    assert _check(c, "host_tutor_load").ok


def test_window_and_duration_checks_follow_the_year(convention, year_2026):
    c = convention()
    year_2026.earliest_start = date(2027, 4, 15)
    year_2026.min_weeks = 14
    db.session.commit()
    assert not _check(c, "window").ok
    assert not _check(c, "duration").ok


def test_a_host_proposed_by_the_student_is_checked_before_validation(convention, make):
    c = convention(host=make.host(name="Proposé", headcount=30))
    c.internship.host.checked = False
    db.session.commit()
    item = _check(c, "host_checked")
    assert not item.ok and "Proposé par l’étudiant·e" in item.detail
    c.internship.host.checked = True
    db.session.commit()
    assert _check(c, "host_checked").ok
