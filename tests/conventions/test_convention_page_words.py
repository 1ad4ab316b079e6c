"""What the convention's page says to whom: the secretariat does not « submit to the
secretariat »; each signature's date field and button say whose signature they record, and
the date field starts on the day of the validation."""
from app.extensions import db
from tests.conftest import browser_for, page


def test_the_secretariat_puts_a_corrected_convention_back_in_its_queue(app, as_role,
                                                                      convention):
    c = convention()
    desk = as_role("secretariat")
    desk.post(f"/conventions/{c.id}/action/request_changes",
              {"version": c.version_id, "comment": "La gratification"})
    db.session.refresh(c)
    assert c.status == "changes_requested"
    staff = page(desk.get(f"/conventions/{c.id}"))
    assert "Remettre dans la file à vérifier" in staff
    assert "Soumettre au secrétariat" not in staff
    student = page(browser_for(app, c.internship.student).get(f"/conventions/{c.id}"))
    assert "Soumettre au secrétariat" in student
    resp = desk.post(f"/conventions/{c.id}/action/submit", {"version": c.version_id},
                     follow_redirects=True)
    assert "Convention soumise au secrétariat." in page(resp)
    db.session.refresh(c)
    assert c.status == "submitted"


def test_each_signature_says_whose_it_is(as_role, convention):
    c = convention(validate=True)   # on 24 November 2026
    body = page(as_role("secretariat").get(f"/conventions/{c.id}"))
    assert ('<label class="visually-hidden" for="signed-host">Date de signature : '
            'l’organisme d’accueil</label>') in body
    assert ('<input id="signed-host" type="date" name="signed_on" min="2026-11-24" ') in body
    assert ('Enregistrer<span class="visually-hidden"> la signature : le tuteur ou la '
            'tutrice de l’organisme</span>') in body
