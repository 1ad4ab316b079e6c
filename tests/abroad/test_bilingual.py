"""The convention of a host abroad: French then English, the same articles, the host's
foreign identifier instead of a SIRET, the host country's pay rule stated as information."""
import io
import os
from datetime import date

from flask import current_app
from pypdf import PdfReader

from app.abroad import services as abroad
from app.conventions import pdf
from app.conventions.document import ARTICLE_TITLES
from app.conventions.document_en import TITLES

RULE = ("Pas de minimum légal pour les stagiaires ; une aide mensuelle est d’usage "
        "(environ 300 €).")


def _text(raw: bytes) -> str:
    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(raw)).pages)
    return " ".join(words.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_a_convention_abroad_is_bilingual_with_the_foreign_identifier(convention, make):
    host = make.host(name="Arxiu Municipal", city="Barcelona", country="Espagne", headcount=40,
                     foreign_id="ESP1234567A")
    abroad.save_advice("Espagne", "vigilance", None, RULE)
    c = convention(host=host, country="Espagne")
    with current_app.test_request_context():
        raw = pdf.build(c, date(2026, 11, 24))
    if os.environ.get("SCREENSHOTS"):   # a folder: the PDF is saved there to be looked at
        with open(os.path.join(os.environ["SCREENSHOTS"], "convention-abroad.pdf"), "wb") as f:
            f.write(raw)
    text = _text(raw)
    french = [text.find(f"Article {n} — {t}") for n, t in enumerate(ARTICLE_TITLES, 1)]
    english = [text.find(f"Article {n} — {t}") for n, t in enumerate(TITLES, 1)]
    assert -1 not in french and -1 not in english
    assert french == sorted(french) and english == sorted(english)
    assert french[-1] < text.index("INTERNSHIP AGREEMENT — ENGLISH VERSION") < english[0]
    assert "Identifiant (registre du pays) : ESP1234567A" in text
    assert "Identifier (register of the country): ESP1234567A" in text
    assert "SIRET" not in text
    assert f"Règle du pays d’accueil (Espagne), à titre d’information : {RULE}" in text
    assert f"Rule of the host country (Espagne), for information: {RULE}" in text
    assert "the French legal minimum does not bind it" in text
    # signed once, after both parts
    assert text.index("Done at") > english[-1] and text.index("Fait à") > english[-1]


def test_a_convention_in_france_stays_french_only(convention):
    c = convention()
    with current_app.test_request_context():
        text = _text(pdf.build(c, date(2026, 11, 24)))
    assert "ENGLISH VERSION" not in text and "SIRET" in text


def test_staff_record_the_foreign_identifier_and_the_country_pay_rule(as_role):
    from app.hosts.models import Host

    desk = as_role("secretariat")
    form = text_of(desk.get("/organismes/nouveau"))
    assert "Identifiant dans le pays (à l’étranger)" in form
    resp = desk.post("/organismes/nouveau", {"name": "Arxiu Municipal", "city": "Barcelona",
                                             "country": "Espagne", "foreign_id": "ESP1234567A"})
    assert resp.status_code in (302, 303)
    assert Host.query.filter_by(name="Arxiu Municipal").one().foreign_id == "ESP1234567A"
    assert desk.post("/etranger/pays", {"country": "Espagne", "level": "vigilance",
                                        "pay_rule": RULE}).status_code == 303
    assert RULE in text_of(desk.get("/etranger/pays?pays=Espagne"))
    assert abroad.advice_for("Espagne").pay_rule == RULE


def text_of(resp) -> str:
    from tests.conftest import text

    return text(resp)
