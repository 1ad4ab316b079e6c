"""A refused action's message shows where the answer is read, once: in the fragment an htmx
request swaps in, in the flash area of a full page; never later on an unrelated page."""
from datetime import date

from app.internships import services
from tests.conftest import text

GONE = "Cette absence n’existe plus."


def _with_absence(make, student):
    internship, _ = services.create_internship(student, services.InternshipData(
        host_id=make.host().id, subject="Sujet", start_date=date(2027, 4, 8),
        end_date=date(2027, 6, 30)))
    services.add_absence(internship, date(2027, 5, 3), date(2027, 5, 4), "Maladie")
    return internship, internship.absences[0].id


def test_removing_an_absence_already_gone_says_so_in_the_fragment_only(as_role, make,
                                                                      year_2026):
    b = as_role("secretariat")
    internship, absence_id = _with_absence(make, make.user("student"))
    url = f"/stages/{internship.id}/absences/{absence_id}/supprimer"
    assert b.post(url, htmx=True).status_code == 200
    # removed meanwhile (another tab, a colleague): the second click is refused…
    resp = b.post(url, htmx=True)
    assert resp.status_code == 200
    fragment = text(resp)
    assert 'id="presence"' in fragment and "<html" not in fragment
    assert GONE in fragment                       # … and says so where the user looks
    # … and the message does not come back on the next page the user opens
    assert GONE not in text(b.get(f"/stages/{internship.id}"))
    assert GONE not in text(b.get("/"))


def test_without_javascript_the_message_is_flashed_on_the_page_shown_next(as_role, make,
                                                                          year_2026):
    b = as_role("secretariat")
    internship, absence_id = _with_absence(make, make.user("student"))
    url = f"/stages/{internship.id}/absences/{absence_id}/supprimer"
    assert b.post(url).status_code == 303
    resp = b.post(url)
    assert resp.status_code == 303
    page = text(b.get(resp.headers["Location"]))
    assert GONE in page and "flash-error" in page
    assert GONE not in text(b.get(f"/stages/{internship.id}"))   # shown once


def test_removing_a_host_contact_already_gone_says_so_in_the_contacts_block(as_role, make):
    from app.hosts import services as hosts

    b = as_role("secretariat")
    host = make.host()
    contact = hosts.add_contact(host, "Jeanne Roy", None, "jeanne.roy@example.org", None)
    url = f"/organismes/{host.id}/contacts/{contact.id}/supprimer"
    assert b.post(url, htmx=True).status_code == 200
    fragment = text(b.post(url, htmx=True))
    assert 'id="contacts"' in fragment and "<html" not in fragment
    assert "Ce contact n’existe plus." in fragment
    assert "Ce contact n’existe plus." not in text(b.get(f"/organismes/{host.id}"))
