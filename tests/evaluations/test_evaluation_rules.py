"""An evaluation's answers checked before they are written (app/evaluations/services.py
``submit``): each objective rated, each text bounded, the grade a number from 0 to 20, the
first question answered; who answers which evaluation."""
from datetime import date

import pytest
from flask import current_app

from app.errors import DomainError
from app.evaluations import services
from app.evaluations.models import Evaluation
from app.extensions import db
from tests.evaluations.test_evaluations import ended, ended_undefended  # noqa: F401


def _open(internship):
    with current_app.test_request_context():
        services.open_evaluations(internship, date.today())
    return {e.kind: e for e in db.session.query(Evaluation)}


def _rated(internship, value="reached"):
    return {f"objective-{o.id}": value for o in internship.objectives}


def test_the_answers_are_checked_before_anything_is_written(ended):  # noqa: F811
    internship, tutor = ended
    by_kind = _open(internship)
    tutor_eval, student_eval = by_kind["academic_tutor"], by_kind["student_host"]
    first = internship.objectives[0].statement
    cases = [
        (student_eval, {"welcome": "Bien"}, f"Évaluez l’objectif « {first} »."),
        (student_eval, {**_rated(internship, "perhaps"), "welcome": "Bien"},
         f"Évaluez l’objectif « {first} »."),
        (student_eval, {**_rated(internship), "welcome": "x" * 5001},
         "« Accueil et intégration dans l’organisme » : 5000 caractères au plus."),
        (student_eval, {**_rated(internship), "welcome": "  "}, "Ce champ est obligatoire."),
        (tutor_eval, {**_rated(internship), "defense": "Claire", "grade": "bien"},
         "La note est un nombre de 0 à 20."),
        (tutor_eval, {**_rated(internship), "defense": "Claire", "grade": "-1"},
         "La note est un nombre de 0 à 20."),
    ]
    for evaluation, form, message in cases:
        with pytest.raises(DomainError) as err:
            services.submit(evaluation, form, date.today())
        assert err.value.message == message
    db.session.expire_all()
    assert all(e.submitted_at is None for e in db.session.query(Evaluation))
    # the grade is optional
    services.submit(tutor_eval, {**_rated(internship), "defense": "Claire"}, date.today())
    assert db.session.get(Evaluation, tutor_eval.id).submitted_at is not None


def test_who_answers_which_evaluation(ended, make):  # noqa: F811
    internship, tutor = ended
    by_kind = _open(internship)
    assert services.answers_it(internship.student, by_kind["student_host"])
    assert services.answers_it(tutor, by_kind["academic_tutor"])
    assert not services.answers_it(None, by_kind["student_host"])
    assert not services.answers_it(make.user("teacher"), by_kind["academic_tutor"])
    assert not services.answers_it(internship.student, by_kind["host_tutor"])   # by link only
