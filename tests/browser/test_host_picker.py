"""The host picker in a real browser: typing refills the select, Enter does not send the
form, and the host found is the one saved."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app import pickers as picker
from app.offers.models import Offer

pytestmark = pytest.mark.browser


def test_typing_finds_a_host_beyond_the_first_ones_and_saves_it(new_page, make, log_in, db,
                                                                  monkeypatch):
    monkeypatch.setattr(picker, "PICKER_LIMIT", 3)
    for n in range(6):
        make.host(name=f"Archives départementales {n}", city="Metz")
    far = make.host(name="Médiathèque Verlaine", city="Rennes")
    staff = make.user("secretariat")
    db.session.commit()

    page = new_page()
    log_in(page, staff)
    page.goto("/offres/nouvelle")
    select = page.locator("#host_id")
    expect(select.locator("option")).to_have_count(4)
    search = page.get_by_label("Chercher : Organisme")
    search.fill("verlai")
    search.press("Enter")  # refines the list, does not send the form
    expect(select.locator("option")).to_have_count(2)
    assert page.url.endswith("/offres/nouvelle")
    select.select_option(label="Médiathèque Verlaine (Rennes)")
    page.get_by_label("Intitulé").fill("Inventaire du fonds photographique")
    page.get_by_label("Domaine").select_option("archives")
    page.get_by_label("Description").fill("Un inventaire.")
    page.get_by_label("Ville").fill("Rennes")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("h1")).to_contain_text("Inventaire du fonds photographique")
    db.session.expire_all()
    assert db.session.query(Offer).one().host_id == far.id
    assert page.problems.errors == []
    assert page.problems.csp_violations() == []
