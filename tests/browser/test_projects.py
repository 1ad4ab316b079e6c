"""A teacher forms the teams of a tutored project; apprentices are never offered."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_teacher_forms_teams_without_apprentices(new_page, make, log_in, db):
    for n in range(5):
        make.user("student", cohort="BUT2", last_name=f"Equipier{n}")
    make.user("student", cohort="BUT2", last_name="Alternante", track="apprentice")
    teacher = make.user("teacher")

    page = new_page()
    log_in(page, teacher)
    page.goto("/projets/nouveau")
    page.fill("input[name=title]", "Audit de la GED")
    page.select_option("select[name=cohort]", "BUT2")
    page.fill("input[name=team_count]", "2")
    page.fill("input[name=team_size]", "3")
    page.get_by_role("button", name="Créer le projet").click()
    expect(page.locator("h1")).to_have_text("Audit de la GED")

    picker = page.locator(".student-picker").first
    expect(picker).to_contain_text("Equipier0")
    assert "Alternante" not in picker.inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Former les équipes automatiquement").click()
    expect(page.locator("#teams")).to_contain_text("Équipes formées")
    teams = page.locator("#teams article.team")
    expect(teams).to_have_count(2)
    counts = sorted(teams.nth(i).locator("ul li").count() for i in range(2))
    assert counts == [2, 3]
    expect(page.locator("#teams")).not_to_contain_text("Alternante")
    assert page.problems.errors == []
    assert page.problems.csp_violations() == []
