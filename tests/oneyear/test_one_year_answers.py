"""« Un an après »: an answer is checked before it is written (what changed is required,
each text bounded), a link to a survey that is not one is refused, and a host tutor without
an address is not asked (app/oneyear/services.py)."""
from datetime import date
from decimal import Decimal

import pytest

from app.errors import DomainError
from app.extensions import db
from app.oneyear import services
from app.oneyear.models import OneYearSurvey
from app.rules.formatting import de
from tests.conftest import page


@pytest.fixture
def survey(make):
    from app.internships import services as internships
    from app.years import services as years

    years.ensure_default_rates()
    years.create_year(years.YearData(start_year=2025))
    student = make.user("student")
    i, _ = internships.create_internship(student, internships.InternshipData(
        host_id=make.host().id, subject="Inventaire", start_date=date(2026, 4, 8),
        end_date=date(2026, 6, 30), agreed_amount=Decimal("4.50"), agreed_unit="hour"))
    s = OneYearSurvey(internship_id=i.id, respondent="student", email=student.email,
                      token_nonce="n" * 32)
    db.session.add(s)
    db.session.commit()
    return s


@pytest.mark.parametrize("data, field, message", [
    ({"changed": "  "}, "changed", "« Ce que le stage a changé » : ce champ est obligatoire."),
    ({"changed": "x" * 5001}, "changed",
     "« Ce que le stage a changé » : 5000 caractères au plus."),
    ({"changed": "Mon métier", "inspired": "x" * 5001}, "inspired",
     "« Une innovation, un progrès inspiré » : 5000 caractères au plus."),
])
def test_an_answer_is_checked_before_it_is_written(survey, data, field, message):
    with pytest.raises(DomainError) as err:
        services.answer(survey, data)
    assert (err.value.field, err.value.message) == (field, message)
    db.session.expire_all()
    assert db.session.get(OneYearSurvey, survey.id).answered_at is None


def test_a_link_to_no_survey_is_refused(app, survey):
    from app import signed_links

    forged = signed_links.make(services.SALT, "s", 999999, "n" * 32)
    wrong_nonce = signed_links.make(services.SALT, "s", survey.id, "m" * 32)
    for token in (forged, wrong_nonce):
        with pytest.raises(signed_links.LinkRefused, match="Ce lien n’est pas valide."):
            services.survey_for_token(token)
    assert services.survey_for_token(services.link_token(survey)).id == survey.id


def test_a_host_tutor_without_an_address_is_not_asked(survey):
    i = survey.internship
    assert i.host_tutor_email is None
    assert [who for who, _, _ in services._recipients(i)] == ["student"]


def test_a_practice_from_the_host_tutors_answer_is_theirs(survey, as_role, make):
    """The host tutor has no account: the practice drawn from their answer is held by the
    student's, but the moderators read who wrote it, and the student is told it is the
    tutor's words, not « votre bonne pratique »."""
    from app.feedback.models import GoodPractice
    from app.notifications.models import Notification

    i = survey.internship
    i.host_tutor_name = "Jeanne Roy"
    tutor_survey = OneYearSurvey(internship_id=i.id, respondent="host_tutor",
                                 email="jeanne.roy@example.org", token_nonce="t" * 32)
    db.session.add(tutor_survey)
    db.session.commit()
    services.answer(tutor_survey, {"changed": "Un plan de classement refondu.", "consent": True})
    practice = db.session.query(GoodPractice).one()
    assert practice.written_by == (f"Jeanne Roy (tuteur·rice dans l’organisme, stage "
                                   f"{de(i.student.full_name)})")
    moderator = as_role("teacher")
    body = page(moderator.get("/retours/moderation"))
    assert "— Jeanne Roy (tuteur·rice dans l’organisme" in body
    assert "Réponse de Jeanne Roy, tuteur·rice dans l’organisme" in body
    moderator.post(f"/retours/moderation/pratique/{practice.id}", {"decision": "publish"})
    told = db.session.query(Notification).filter_by(user_id=i.student_id).all()
    assert any(n.message.startswith("La bonne pratique tirée de la réponse « un an après » de "
                                    "votre tuteur·rice d’organisme est publiée") for n in told)
