"""The defences' shared fixture."""
from datetime import date, timedelta

import pytest


@pytest.fixture
def setup(make, db, as_role):
    """Three interns of 2025-2026 with tutors, and the secretariat."""
    from app.internships import services as internships
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    years.ensure_default_rates()
    year = years.current_year(date.today())
    start = max(year.earliest_start, date.today() + timedelta(days=1))
    tutors = [make.user("teacher", last_name=f"Tuteur{n}") for n in range(2)]
    make.user("teacher", last_name="Second")
    interns = []
    for n in range(3):
        student = make.user("student", last_name=f"Soutenant{n}")
        i, _ = internships.create_internship(student, internships.InternshipData(
            host_id=make.host().id, subject="S", start_date=start,
            end_date=start + timedelta(weeks=12, days=-1),
            host_tutor_email=f"tuteur{n}@example.org"))
        db.session.add(TutorAssignment(student_id=student.id, teacher_id=tutors[n % 2].id,
                                       academic_year_id=year.id))
        interns.append(i)
    db.session.commit()
    return year, interns, tutors, as_role("secretariat")
