"""A convention with a host abroad is bilingual (RULES.md §5): the French articles, then the
same fifteen in English, one signature for both with bilingual roles, the host's foreign
identifier instead of a SIRET, and the host country's rule on pay stated as information."""
from datetime import date

import pytest

from app.conventions import pdf
from app.errors import DomainError
from app.hosts import services as hosts
from tests.conventions.test_lifecycle import pdf_text


@pytest.fixture
def abroad_host(db, year_2026):
    from app.abroad import services as abroad

    abroad.set_mandatory(year_2026.id, [])  # the preparation checklist is tested on its own
    return hosts.create_host(hosts.HostData(
        name="Arxiu Municipal de Barcelona", city="Barcelone", country="Espagne",
        address="Via Laietana 50", foreign_id="ESP0801900J", headcount=40))


def test_a_host_abroad_gets_a_convention_in_french_and_in_english(convention, abroad_host,
                                                                 app):
    c = convention(validate=True, host=abroad_host, country="Espagne")
    text = pdf_text(pdf.build(c, date(2026, 11, 25)))
    french, english = text.split("INTERNSHIP AGREEMENT — ENGLISH VERSION")
    assert "CONVENTION DE STAGE" in french and "Version bilingue" in french
    assert "Identifiant (registre du pays) : ESP0801900J" in french
    assert "SIRET" not in text
    assert "Article 15 — Droit applicable et litiges" in french
    assert "La gratification suit les règles du pays d’accueil (Espagne)" in french
    # the English version: the same articles, the facts in English
    for n, title in ((1, "Purpose of the agreement"), (5, "Gratification and terms of payment"),
                     (15, "Applicable law and disputes")):
        assert f"Article {n} — {title}" in english
    assert "Registration number (host country): ESP0801900J" in english
    assert "Via Laietana 50, Barcelone, Spain" in english
    assert "from 8 April 2027 to 30 June 2027, that is 12 weeks" in english
    assert "Agreed gratification: €700.00 a month" in english
    assert "the French legal minimum gratification does not bind it" in english
    assert "follows the rules of the host country (Spain)" in english
    assert "As written in the French version: Inventaire du fonds photographique" in english
    # one signature block for both versions, after the English one, with bilingual roles
    assert "Pour l’organisme d’accueil, son représentant ou sa représentante / For the host " \
           "organisation, its representative" in english
    assert "The French version prevails" in english
    assert "Fait à" not in french.split("Article 15")[1]


def test_a_host_in_france_keeps_the_french_convention_only(convention, app):
    c = convention(validate=True)
    text = pdf_text(pdf.build(c, date(2026, 11, 25)))
    assert "ENGLISH VERSION" not in text and "Version bilingue" not in text
    assert "SIRET" in text and " / For " not in text


def test_the_foreign_identifier_is_for_hosts_abroad(db):
    with pytest.raises(DomainError, match="En France, l’organisme s’identifie par son SIRET"):
        hosts.create_host(hosts.HostData(name="Archives de Lyon", city="Lyon",
                                         foreign_id="FR123"))


def test_the_identifier_of_a_signed_convention_does_not_change_with_the_host(
        convention, abroad_host, app, db):
    c = convention(sign=True, host=abroad_host, country="Espagne")
    abroad_host.foreign_id = "B-99999999"
    db.session.commit()
    text = pdf_text(pdf.build(c, date(2027, 2, 1)))
    assert "ESP0801900J" in text and "B-99999999" not in text


def test_the_pay_rule_the_department_keeps_for_the_country_is_stated(convention, abroad_host,
                                                                    app):
    from app.abroad import services as abroad

    abroad.save_advice("Espagne", "normal", None, pay_rule="Prácticas curriculares : pas de "
                       "minimum légal, cotisations sociales dues.")
    c = convention(validate=True, host=abroad_host, country="Espagne")
    text = pdf_text(pdf.build(c, date(2026, 11, 25)))
    french, english = text.split("INTERNSHIP AGREEMENT — ENGLISH VERSION")
    assert "La règle, telle que le département la note : Prácticas curriculares" in french
    assert "The rule, as the department records it (in French): Prácticas curriculares" \
        in english
