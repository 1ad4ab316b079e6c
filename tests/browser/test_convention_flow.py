"""A student submits the convention, the secretariat asks for a change, the student corrects,
the secretariat validates and records the signatures."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def clean(page):
    errors = [e for e in page.problems.errors if "sendAbort" not in e
              and "afterRequest" not in e]
    assert errors == []
    assert page.problems.csp_violations() == []


def test_convention_from_submission_to_signature(new_page, make, log_in, db):
    from app.internships import services as internships
    from app.years import services as years

    years.ensure_default_rates()
    years.create_year(years.YearData(start_year=2026, programme_hours=1800))
    student = make.user("student", first_name="Inès", last_name="Garnier")
    internship, _ = internships.create_internship(student, internships.InternshipData(
        host_id=make.host(headcount=50).id, subject="Inventaire du fonds Dupont",
        start_date=date(2027, 4, 8), end_date=date(2027, 6, 30), host_tutor_name="Jeanne Roy",
        missions="Inventaire et reconditionnement", skills="Description archivistique",
        agreed_amount=Decimal("700"), agreed_unit="month"))
    teacher = make.user("teacher", last_name="Referente")
    desk_user = make.user("secretariat")
    db.session.commit()

    me = new_page()
    log_in(me, student)
    me.goto(f"/stages/{internship.id}")
    me.get_by_role("button", name="Préparer la convention").click()
    expect(me.locator("h1")).to_contain_text("Convention de stage")
    me.fill("textarea[name=leave_conditions]", "Deux jours de congé par mois")
    me.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(me.locator(".flash-success")).to_contain_text("Convention enregistrée")
    me.get_by_role("button", name="Soumettre au secrétariat").click()
    expect(me.locator(".badge.conv-submitted")).to_have_text("Soumise")
    convention_url = me.url

    tutor = new_page()
    log_in(tutor, teacher)
    tutor.goto(convention_url)
    tutor.get_by_role("button", name="Donner l’accord pédagogique sur le sujet").click()
    expect(tutor.locator(".flash-success")).to_contain_text("Accord pédagogique enregistré")

    desk = new_page()
    log_in(desk, desk_user)
    desk.goto("/conventions/")
    desk.get_by_role("link", name="Garnier Inès").click()
    desk.locator("summary", has_text="Demander des corrections").click()
    desk.fill("#comment-request_changes", "Précisez les avantages")
    desk.get_by_role("button", name="Demander des corrections", exact=True).click()
    expect(desk.locator(".badge.conv-changes_requested")).to_have_text("Corrections demandées")

    me.reload()
    expect(me.locator(".warning")).to_contain_text("Précisez les avantages")
    me.fill("textarea[name=benefits]", "Tickets restaurant")
    me.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(me.locator(".flash-success")).to_contain_text("Convention enregistrée")
    me.get_by_role("button", name="Soumettre au secrétariat").click()
    expect(me.locator(".badge.conv-submitted")).to_have_text("Soumise")

    desk.reload()
    boxes = desk.locator("#checklist form.inline-form input[type=checkbox]")
    count = boxes.count()
    assert count == 12
    # ticked as fast as a hurried secretary clicks: no tick is lost or refused as stale
    for n in range(count):
        boxes.nth(n).check()
    expect(desk.locator("#checklist li.todo")).to_have_count(0)
    expect(desk.locator("#checklist li.ok form")).to_have_count(count)
    expect(desk.locator("#checklist [role=alert]")).to_have_count(0)
    desk.get_by_role("button", name="Valider", exact=True).click()
    expect(desk.locator(".badge.conv-validated")).to_have_text("Validée")
    for n in range(5):
        row_form = desk.locator("#signatures table form").first
        row_form.locator("input[type=date]").fill(date.today().isoformat())  # validated today
        row_form.get_by_role("button", name="Enregistrer").click()
        expect(desk.locator("#signatures")).to_contain_text("signée le", timeout=10_000)
        if n < 4:
            expect(desk.locator("#signatures table form")).to_have_count(4 - n)
    expect(desk.locator(".badge.conv-signed")).to_have_text("Signée")
    desk.screenshot(path="/tmp/shots/convention_signed.png", full_page=True)
    for p in (me, tutor, desk):
        clean(p)
