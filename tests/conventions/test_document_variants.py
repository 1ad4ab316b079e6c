"""What the printed convention says in the cases the main document tests do not print
(app/conventions/document.py): presence at night or on Sundays, and a part-time internship
whose gratification is not due (the legal minimum then given for information)."""
from datetime import date
from decimal import Decimal

from app.conventions import pdf
from app.extensions import db
from tests.conventions.test_lifecycle import pdf_text


def test_presence_at_night_or_on_sunday_is_printed(app, convention):
    c = convention()   # submitted: the document states the live terms
    c.special_hours = "Deux dimanches matin pour l’exposition"
    db.session.commit()
    with app.test_request_context():
        text = pdf_text(pdf.build(c, date(2026, 11, 25)))
    assert ("Présence de nuit, le dimanche ou un jour férié : Deux dimanches matin pour "
            "l’exposition.") in text
    assert "Aucune présence de nuit ou le dimanche n’est prévue." not in text


def test_a_gratification_not_due_states_the_minimum_for_information(app, convention):
    c = convention(weekly_hours=Decimal("15"), agreed_amount=Decimal("100"),
                   work_days=frozenset({0, 1, 2}))
    with app.test_request_context():
        text = pdf_text(pdf.build(c, date(2026, 11, 25)))
    assert "À titre indicatif, le minimum légal serait de" in text
    assert "Aucune présence de nuit ou le dimanche n’est prévue." in text
