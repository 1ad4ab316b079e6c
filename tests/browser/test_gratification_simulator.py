"""The simulator updates its month-by-month table as the dates are typed."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def amount(text: str) -> str:
    return re.sub(r"[\s\u202f\u00a0]", "", text)


def test_simulator_updates_live_without_an_account(new_page, db):
    from app.years import services as years

    years.ensure_default_rates()
    db.session.commit()
    page = new_page()
    page.goto("/simulateur")
    expect(page.locator("#simulation")).to_contain_text("Indiquez les dates du stage")
    page.fill("#start", "2026-04-08")
    page.fill("#end", "2026-06-30")
    page.fill("#rate", "4.50")
    result = page.locator("#simulation")
    expect(result.locator("table.months tbody tr")).to_have_count(3)
    expect(result).to_contain_text("Avril 2026")
    expect(result).to_contain_text("15 juin 2026")
    assert "1764,00€" in amount(result.locator("tfoot").inner_text())
    assert "start=2026-04-08" in page.url

    page.fill("#end", "2026-07-28")
    expect(result.locator("table.months tbody tr")).to_have_count(4)
    expect(result).to_contain_text("Juillet 2026")
    assert "2362,50€" in amount(result.locator("tfoot").inner_text())

    page.get_by_label("vendredi").uncheck()
    expect(result.locator("tfoot")).not_to_contain_text("2 362,50")
    expect(result.locator("tfoot")).not_to_contain_text("2\u202f362,50")
    # data-hx-sync="this:replace" aborts the request a faster keystroke made stale: htmx logs it.
    aborted = [e for e in page.problems.errors if "sendAbort" in e or "afterRequest" in e]
    assert [e for e in page.problems.errors if e not in aborted] == []
    assert page.problems.csp_violations() == []


def test_an_out_of_range_value_shows_its_error_instead_of_the_old_result(new_page, db):
    from app.years import services as years

    years.ensure_default_rates()
    db.session.commit()
    page = new_page()
    page.goto("/simulateur")
    page.fill("#start", "2026-04-08")
    page.fill("#end", "2026-06-30")
    result = page.locator("#simulation")
    expect(result.locator("table.months tbody tr")).to_have_count(3)
    page.fill("#weekly_hours", "60")   # beyond 48: the browser's own check must not hide it
    expect(result).to_contain_text("48 heures")
    expect(result.locator("table.months")).to_have_count(0)
