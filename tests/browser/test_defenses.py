"""The secretariat opens a day, generates and publishes the schedule; a teacher sees theirs."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_generate_publish_and_teacher_sees_defences(new_page, make, log_in, db):
    from app.internships import services as internships
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    years.ensure_default_rates()
    year = years.current_year(date.today())
    start = max(year.earliest_start, date.today() + timedelta(days=1))
    tutor = make.user("teacher", last_name="Jurée")
    make.user("teacher", last_name="Assesseur")
    for n in range(2):
        student = make.user("student", last_name=f"Orale{n}")
        internships.create_internship(student, internships.InternshipData(
            host_id=make.host().id, subject="S", start_date=start,
            end_date=start + timedelta(weeks=12, days=-1)))
        db.session.add(TutorAssignment(student_id=student.id, teacher_id=tutor.id,
                                       academic_year_id=year.id))
    desk_user = make.user("secretariat")
    db.session.commit()

    desk = new_page()
    log_in(desk, desk_user)
    desk.goto("/soutenances/")
    desk.get_by_text("Ajouter une journée").click()
    desk.fill("input[name=day]", "2027-09-06")
    desk.fill("input[name=room]", "A101")
    desk.fill("input[name=start_time]", "09:00")
    desk.fill("input[name=end_time]", "12:00")
    desk.get_by_role("button", name="Ajouter", exact=True).click()
    expect(desk.locator(".flash-success")).to_contain_text("Journée de soutenance ajoutée")
    desk.get_by_role("button", name="Proposer un planning").click()
    expect(desk.locator(".flash-success")).to_contain_text("2 soutenances proposées")
    expect(desk.locator("tbody tr")).to_have_count(2)
    desk.get_by_role("button", name="Publier le planning").click()
    expect(desk.locator(".flash-success")).to_contain_text("2 soutenances publiées")

    teacher = new_page()
    log_in(teacher, tutor)
    teacher.goto("/soutenances/mes-soutenances")
    expect(teacher.locator("main")).to_contain_text("Orale0")
    expect(teacher.locator("main")).to_contain_text("Orale1")
    expect(teacher.locator("main")).to_contain_text("salle A101")
    for p in (desk, teacher):
        assert p.problems.errors == []
        assert p.problems.csp_violations() == []
