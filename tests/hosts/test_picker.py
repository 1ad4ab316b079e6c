"""Host and student pickers over long lists: the select holds the chosen row and the first
rows by name; a search refills it from the server."""
import pytest

from app import pickers as picker
from app.offers.models import Offer
from tests.conftest import text
from tests.offers.test_offers import VALID


@pytest.fixture
def directory(make, monkeypatch):
    monkeypatch.setattr(picker, "PICKER_LIMIT", 5)
    hosts = [make.host(name=f"Archives {n:02d}", city="Metz") for n in range(12)]
    hosts.append(make.host(name="Médiathèque Verlaine", city="Rennes"))
    return hosts


def test_a_long_directory_lists_its_first_hosts_and_the_search_finds_the_others(
        as_role, directory):
    b = as_role("secretariat")
    page = text(b.get("/offres/nouvelle"))
    select = page.split('id="host_id"')[1].split("</select>")[0]
    assert select.count("<option") == 6  # the blank one, then five by name
    assert "Archives 04" in select and "Archives 05" not in select
    assert 'class="picker-search"' in page
    assert 'data-hx-get="/organismes/choix?field=host_id"' in page
    found = text(b.get("/organismes/choix", query_string={
        "field": "host_id", "host_id_q": "verlaine"}, htmx=True))
    assert "Médiathèque Verlaine (Rennes)" in found and "Archives" not in found
    assert '<option value="">— 1 résultat : choisissez —</option>' in found


def test_the_chosen_host_stays_chosen_after_a_search_and_after_an_error(as_role, directory, db):
    b = as_role("secretariat")
    far = directory[-1]
    found = text(b.get("/organismes/choix", query_string={
        "field": "host_id", "host_id": far.id, "host_id_q": "archives 1"}, htmx=True))
    assert f'<option value="{far.id}" selected>Médiathèque Verlaine' in found
    assert "Archives 10" in found and "Archives 11" in found and "Archives 09" not in found
    # a host beyond the list's first rows, chosen, then the form refused for another field
    resp = text(b.post("/offres/nouvelle", {**VALID, "host_id": far.id, "title": ""},
                       htmx=True))
    assert "Ce champ est obligatoire." in resp
    assert f'<option selected value="{far.id}">Médiathèque Verlaine' in resp
    assert db.session.query(Offer).count() == 0
    # and it is accepted though it was never among the first rows
    assert b.post("/offres/nouvelle", {**VALID, "host_id": far.id}).status_code == 303
    assert db.session.query(Offer).one().host_id == far.id


def test_a_search_that_finds_nothing_says_so_escaped(as_role, directory):
    found = text(as_role("student").get("/organismes/choix", query_string={
        "field": "evil", "host_id_q": "<b>zz"}, htmx=True))
    assert "Aucun résultat pour « &lt;b&gt;zz »" in found and "<b>" not in found


def test_hosts_options_need_a_login(client, directory):
    resp = client.get("/organismes/choix", query_string={"host_id_q": "archives"})
    assert resp.status_code in (302, 401) and "Archives" not in text(resp)


def test_the_student_picker_is_the_secretariats_and_leaves_apprentices_out(
        as_role, make, monkeypatch):
    monkeypatch.setattr(picker, "PICKER_LIMIT", 2)
    for n in range(4):
        make.user("student", last_name=f"Etudiante{n}", cohort="BUT3")
    make.user("student", last_name="Etudiante9", cohort="BUT3", track="apprentice")
    s = as_role("secretariat")
    page = text(s.get("/stages/nouveau"))
    select = page.split('id="student_id"')[1].split("</select>")[0]
    assert select.count("<option") == 3 and "Etudiante1" in select
    found = text(s.get("/stages/etudiants/choix", query_string={
        "field": "student_id", "student_id_q": "etudiante"}, htmx=True))
    assert "Etudiante3" in found and "Etudiante9" not in found
    assert as_role("student").get("/stages/etudiants/choix").status_code == 403
    assert as_role("teacher").get("/stages/etudiants/choix").status_code == 403


def test_an_id_beyond_integer_columns_is_no_choice_not_an_error(as_role, directory):
    resp = as_role("student").get("/organismes/choix", query_string={
        "field": "host_id", "host_id": "1" + "0" * 20, "host_id_q": "verlaine"}, htmx=True)
    assert resp.status_code == 200 and "Médiathèque Verlaine" in text(resp)
