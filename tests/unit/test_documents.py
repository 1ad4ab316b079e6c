"""The convention, avenant and attestation PDFs: what they say, read back with pypdf."""
from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pypdf import PdfReader

from app.documents import (
    ARTICLE_TITLES,
    AmendmentDoc,
    AttestationDoc,
    ConventionDoc,
    Signatory,
    amendment_pdf,
    attestation_pdf,
    convention_pdf,
)

ROLES = ["Pour l’établissement, le chef ou la cheffe de département", "Pour l’organisme d’accueil",
         "L’étudiant·e", "Le tuteur ou la tutrice de l’organisme", "L’enseignant·e référent·e"]


def convention(**changes) -> ConventionDoc:
    doc = ConventionDoc(
        number="2026-0042", year_label="2026-2027", draft=False,
        school_name="IUT de Nîmes — Université de Montpellier",
        school_address="8 rue Jules Raimu, 30907 Nîmes", school_city="Nîmes",
        department="Département Information-Communication", school_representative="Claire Dumas",
        programme_title="BUT Information-Communication", programme_hours="1 800 heures",
        student_name="Léa Martin", student_email="lea.martin@etu.example.fr",
        student_cohort="BUT3", student_group="TD2",
        host_name="Archives départementales du Gard", host_address="365 rue du Forez, Nîmes",
        host_country="France", host_identifier_label="SIRET", host_identifier="22300001900017",
        host_representative="Jean Roux",
        host_tutor_name="Sophie Bernard", host_tutor_position="Archiviste",
        host_tutor_email="s.bernard@example.fr", host_tutor_phone="04 66 00 00 00",
        academic_tutor_name="Marc Leroy", academic_tutor_email="marc.leroy@example.fr",
        subject="Traitement d’un fonds d’archives contemporaines",
        activities="Classement du fonds 12 W.\nRédaction de l’inventaire.",
        skills="Maîtriser la norme ISAD(G).", objectives=["Classer le fonds d’ici mai"],
        start_date="12 avril 2027", end_date="9 juillet 2027", duration="13 semaines",
        presence_days=56, presence_hours="392 heures", weekly_hours="35 heures",
        work_days="du lundi au vendredi", daily_hours="7 heures", special_hours=None,
        holidays_worked=False, supervision="Un point hebdomadaire avec la tutrice.",
        gratification="700,00 € par mois", gratification_due=True,
        legal_minimum="4,50 € de l’heure, soit 1 764,00 € sur le stage",
        payment_terms="Virement mensuel.", abroad=False,
        social_protection="Accidents du travail : article L412-8 du Code de la sécurité sociale.",
        leave_conditions="Deux jours de congé par mois.", benefits="Titres-restaurant.",
        schedule=[("Lundi", "9 h – 17 h"), ("Samedi", "—")],
        signatories=[Signatory(ROLES[0], "Claire Dumas", None),
                     Signatory(ROLES[1], "Jean Roux", "12 janvier 2027"),
                     Signatory(ROLES[2], "Léa Martin", "10 janvier 2027"),
                     Signatory(ROLES[3], "Sophie Bernard", None),
                     Signatory(ROLES[4], None, None)],
    )
    return dataclasses.replace(doc, **changes)


def amendment(**changes) -> AmendmentDoc:
    doc = AmendmentDoc(
        convention_number="2026-0042", number=2, date="3 juin 2027",
        reason="Prolongation demandée par l’organisme.", student_name="Léa Martin",
        host_name="Archives départementales du Gard", year_label="2026-2027",
        school_name="IUT de Nîmes", school_city="Nîmes",
        changes=[("Date de fin", "30 juin 2027", "15 juillet 2027")],
        signatories=[Signatory("L’étudiant·e", "Léa Martin", None),
                     Signatory("Pour l’organisme d’accueil", None, None)])
    return dataclasses.replace(doc, **changes)


def attestation(**changes) -> AttestationDoc:
    doc = AttestationDoc(
        host_name="Archives départementales du Gard", host_address="365 rue du Forez, Nîmes",
        host_identifier_label="SIRET", host_identifier="22300001900017",
        student_name="Léa Martin", student_cohort="BUT3", school_name="IUT de Nîmes",
        programme_title="BUT Information-Communication", subject="Traitement d’un fonds",
        start_date="12 avril 2027", end_date="9 juillet 2027", duration="13 semaines",
        presence_days=56, presence_hours="392 heures", ended_early=False,
        planned_end_date=None, paid_total=None, host_city="Nîmes")
    return dataclasses.replace(doc, **changes)


def read(pdf: bytes) -> tuple[int, str]:
    """Number of pages and the text, spaces (no-break ones too) folded to one."""
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.fixture(scope="module")
def signed():
    return read(convention_pdf(convention()))


def test_convention_articles_in_order(signed):
    _, text = signed
    positions = [text.find(f"Article {n} — {title}") for n, title in enumerate(ARTICLE_TITLES, 1)]
    assert len(ARTICLE_TITLES) == 15 and -1 not in positions, positions
    assert positions == sorted(positions)
    assert text.index("CONVENTION DE STAGE") < positions[0]
    assert text.index("Fait à Nîmes, le") > positions[-1]
    assert text.index("Annexe — Emploi du temps hebdomadaire") > text.index("Fait à Nîmes")


def test_convention_states_parties_tutors_and_terms(signed):
    _, text = signed
    for expected in ["2026-0042", "2026-2027", "IUT de Nîmes — Université de Montpellier",
                     "Claire Dumas", "Archives départementales du Gard", "Jean Roux",
                     "SIRET : 22300001900017", "Léa Martin", "lea.martin@etu.example.fr",
                     "Sophie Bernard", "Marc Leroy", "Classement du fonds 12 W.",
                     "Rédaction de l’inventaire.", "Maîtriser la norme ISAD(G).",
                     "Classer le fonds d’ici mai", "1 800 heures", "12 avril 2027",
                     "9 juillet 2027", "56 jours", "392 heures", "35 heures",
                     "700,00 € par mois", "4,50 € de l’heure", "Virement mensuel.",
                     "L124-7", "D124-9", "Un point hebdomadaire avec la tutrice.",
                     "Titres-restaurant.", "Deux jours de congé par mois.", "9 h – 17 h"]:
        assert expected in text, expected


def test_convention_signature_blocks_and_page_numbers(signed):
    pages, text = signed
    for role in ROLES:
        assert role in text, role
    assert "12 janvier 2027" in text
    assert pages >= 3
    for n in range(1, pages + 1):
        assert f"{n} / {pages}" in text
    assert text.count("Convention de stage n° 2026-0042") >= pages


def test_draft_marking_only_on_drafts(signed):
    _, text = signed
    assert "projet" not in text.lower()
    pages, draft = read(convention_pdf(convention(draft=True)))
    assert draft.count("Projet — ne pas signer") >= pages


def test_gratification_not_due_and_abroad():
    _, text = read(convention_pdf(convention(gratification_due=False,
                                             gratification="Aucune gratification")))
    assert "n’est pas obligatoire" in text and "308 heures ou moins" in text
    _, text = read(convention_pdf(convention(
        abroad=True, host_country="Belgique", host_identifier=None,
        host_identifier_label="Identifiant (registre du pays)", signatories=[])))
    assert "à titre d’information" in text and "Belgique" in text
    assert "Identifiant (registre du pays)" in text
    for role in ROLES:  # default signatories when none are given
        assert role in text


@pytest.mark.parametrize("long_text", [
    ("Une ligne d’activité assez longue pour remplir la page.\n" * 200)[:10_000],
    "x" * 10_000,
])
def test_long_free_texts_flow_over_pages(signed, long_text):
    pages, _ = signed
    longer, text = read(convention_pdf(convention(activities=long_text, skills=long_text,
                                                  supervision=long_text)))
    assert longer > pages
    if " " not in long_text:  # a single word is broken over lines and pages, never lost
        assert text.count("x") >= 3 * 10_000


def test_markup_characters_print_literally():
    special = "Tri <b>gras</b> & <br/> R&D > 3 < 5"
    _, text = read(convention_pdf(convention(subject=special, activities=special,
                                             host_name="Dupont & Fils <SARL>")))
    assert text.count(special) >= 2
    assert "Dupont & Fils <SARL>" in text


def test_amendment():
    pages, text = read(amendment_pdf(amendment()))
    assert "Avenant n° 2 à la convention de stage n° 2026-0042" in text
    for expected in ["Ce qui change", "Avant", "Après", "Date de fin", "30 juin 2027",
                     "15 juillet 2027", "Prolongation demandée par l’organisme.",
                     "Les autres clauses de la convention demeurent inchangées",
                     "L’étudiant·e", "Pour l’organisme d’accueil", f"1 / {pages}"]:
        assert expected in text, expected
    assert "projet" not in text.lower()
    _, draft = read(amendment_pdf(amendment(draft=True)))
    assert "Projet — ne pas signer" in draft


def test_amendment_long_change_flows():
    long_text = ("Nouvelle activité & <tâche>.\n" * 400)[:10_000]
    pages, text = read(amendment_pdf(amendment(changes=[("Activités", "Ancienne", long_text)])))
    assert pages > 2 and "Nouvelle activité & <tâche>." in text


def test_attestation_leaves_the_amount_blank_when_nothing_was_recorded():
    pages, text = read(attestation_pdf(attestation()))
    assert "atteste que" in text and "D124-9" in text
    assert "Montant total de la gratification versée : …" in text
    assert "(montant à compléter par l’organisme d’accueil)" in text
    assert not re.search(r"\d,\d\d €", text)
    for expected in ["56 jours", "392 heures", "12 avril 2027", "9 juillet 2027",
                     "Fait à Nîmes, le", "Signature et cachet", f"1 / {pages}"]:
        assert expected in text, expected
    assert "interrompu" not in text


def test_attestation_with_the_paid_total_and_an_early_end():
    _, text = read(attestation_pdf(attestation(
        paid_total="2\u202f800,00\u00a0€", ended_early=True, end_date="4 juin 2027",
        planned_end_date="9 juillet 2027", presence_days=36, presence_hours="252 heures")))
    assert "Montant total de la gratification versée : 2 800,00 €" in text
    assert "à compléter" not in text
    assert "interrompu" in text and "4 juin 2027" in text and "prévue le 9 juillet 2027" in text
    assert "36 jours" in text and "252 heures" in text


def test_odd_characters_and_empty_fields_never_raise():
    odd = "a\x00b\x01c\tD\x0c e\u200b <![CDATA[x]]> &amp; &#0; <para>"
    fields = {f.name: odd for f in dataclasses.fields(ConventionDoc) if f.type == "str"}
    assert convention_pdf(convention(**fields)).startswith(b"%PDF")
    assert convention_pdf(convention(objectives=[], schedule=[], signatories=[], activities="",
                                     skills="", special_hours="")).startswith(b"%PDF")
    assert amendment_pdf(amendment(changes=[], reason=odd)).startswith(b"%PDF")
    assert attestation_pdf(attestation(subject=odd, host_city=None)).startswith(b"%PDF")


def test_no_chez_before_a_host_name_in_the_messages():
    """« chez Centre de documentation… »: a host's name has no article; the messages name it
    in parentheses or after « organisme » instead."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    found = [f"{p.relative_to(root)}:{n}" for folder in ("app", "templates")
             for p in (root / folder).rglob("*") if p.suffix in (".py", ".html")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"chez (\{|%\()", line)]
    assert found == []


def test_an_address_names_its_city_once():
    from app.rules.formatting import address_text

    assert address_text("365 rue du Forez, 30000 Nîmes", "Nîmes") == "365 rue du Forez, 30000 Nîmes"
    assert address_text("365 rue du Forez, 30000 NIMES", "Nîmes") == "365 rue du Forez, 30000 NIMES"
    assert address_text("365 rue du Forez", "Nîmes") == "365 rue du Forez, Nîmes"
    assert address_text(None, "Nîmes") == "Nîmes"
    assert address_text("2 place du Marché", None) == "2 place du Marché"
