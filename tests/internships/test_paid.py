"""The gratification paid, recorded by the secretariat once the internship is over under a
signed convention: the attestation states it. A bad amount comes back next to its field with
what was typed; a stale page is refused; the history says who recorded which amount."""
from datetime import date
from decimal import Decimal

import pytest

from app.conventions.models import Convention
from app.extensions import db
from app.internships import services
from app.internships.models import Internship
from app.years import services as years
from tests.conftest import page


@pytest.fixture
def over(make):
    """An internship of 2025-2026, ended on 30 June 2026 under a signed convention."""
    years.ensure_default_rates()
    years.create_year(years.YearData(start_year=2025))
    i, _ = services.create_internship(make.user("student", first_name="Léa", last_name="Roux"),
                                      services.InternshipData(
        host_id=make.host().id, subject="Inventaire", start_date=date(2026, 4, 8),
        end_date=date(2026, 6, 30)))
    db.session.add(Convention(internship=i, status="signed"))
    db.session.commit()
    return i


def _post(browser, i, amount, version=None):
    version = db.session.get(Internship, i.id).version_id if version is None else version
    return browser.post(f"/stages/{i.id}/gratification-versee",
                        {"amount": amount, "version": version}, follow_redirects=True)


def test_a_bad_amount_comes_back_next_to_its_field(as_role, over):
    desk = as_role("secretariat")
    body = page(_post(desk, over, "-5"))
    assert '<small id="paid-error" class="field-error">Montant invalide.</small>' in body
    assert 'value="-5"' in body                      # what was typed is kept
    body = page(_post(desk, over, ""))
    assert "Indiquez la gratification totale versée, en euros." in body
    assert db.session.get(Internship, over.id).gratification_paid is None


def test_the_history_keeps_who_recorded_which_amount(as_role, over):
    desk = as_role("secretariat", first_name="Anne", last_name="Secr")
    assert "Gratification versée enregistrée." in page(_post(desk, over, "1800"))
    body = page(_post(desk, over, "1850.5"))
    history = body.split('id="history"')[1]
    assert "Gratification versée : 1 800,00 € » " not in history
    assert "par Anne Secr : « Gratification versée : 1 800,00 € »" in history
    assert "« Gratification versée : 1 850,50 € (au lieu de 1 800,00 €) »" in history
    assert db.session.get(Internship, over.id).gratification_paid == Decimal("1850.50")


def test_a_stale_page_is_refused(as_role, over):
    desk, other = as_role("secretariat"), as_role("secretariat")
    read = over.version_id
    _post(other, over, "1800", read)
    body = page(_post(desk, over, "2000", read))
    assert "Quelqu’un d’autre a modifié ce stage" in body
    assert db.session.get(Internship, over.id).gratification_paid == Decimal("1800.00")


def test_only_after_the_end_and_only_by_the_secretariat(as_role, make, over):
    assert _post(as_role("teacher"), over, "1800").status_code == 403
    over.end_date = date(2099, 6, 30)
    db.session.commit()
    body = page(_post(as_role("secretariat"), over, "1800"))
    assert ("La gratification versée s’enregistre une fois le stage terminé, sous une "
            "convention signée.") in body       # flashed: the page shows no such form
    assert db.session.get(Internship, over.id).gratification_paid is None
