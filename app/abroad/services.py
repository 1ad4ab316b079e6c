"""Internships abroad (RULES.md §5): the preparation checklist the student fills, the items
each year makes mandatory, the department's advice per country, and what they do to the
validation of a convention (``app.conventions.checks`` asks ``validation_checks``). The rules
themselves are in ``app.rules.abroad``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.abroad.models import CountryAdvice, Preparation, YearSetting
from app.errors import DomainError
from app.extensions import db
from app.feedback.models import CountryTip
from app.files import services as files
from app.internships.models import Internship
from app.rules import abroad as rules
from app.rules.formatting import fr_date
from app.versioning import check_version, commit_versioned

FIELDS = ("passport_on", "insurance_file_id", "liability_file_id", "ariane_on",
          "contact_abroad", "contact_france", "departure_on", "return_on",
          "la_student_on", "la_school_on", "la_host_on")
DATE_FIELDS = ("passport_on", "ariane_on", "departure_on", "return_on",
               "la_student_on", "la_school_on", "la_host_on")
FILE_ITEMS = {"insurance": ("insurance_file", "l’attestation d’assurance"),
              "liability": ("liability_file", "l’attestation de responsabilité civile")}


# ---------------------------------------------------------------- access

def can_view(user, internship: Internship) -> bool:
    """The student (their own), their tutor, the secretariat: as the internship's private
    records (``app.access``)."""
    from app.access import can_read_private

    return can_read_private(user, internship.student_id, internship.academic_year_id)


def can_edit(user, internship: Internship) -> bool:
    """The student fills their own checklist; the secretariat may complete it."""
    if user.role == "student":
        return user.id == internship.student_id
    return user.is_manager


# ---------------------------------------------------------------- per-year setting

def mandatory_for(year_id: int) -> tuple[str, ...]:
    text = db.session.execute(select(YearSetting.mandatory).where(
        YearSetting.academic_year_id == year_id)).scalar_one_or_none()
    return rules.parse_mandatory(text)


def set_mandatory(year_id: int, codes) -> None:
    wanted = [code for code in rules.ITEMS if code in set(codes or ())]
    setting = db.session.execute(select(YearSetting).where(
        YearSetting.academic_year_id == year_id)).scalar_one_or_none()
    if setting is None:
        setting = YearSetting(academic_year_id=year_id)
        db.session.add(setting)
    setting.mandatory = ",".join(wanted)
    db.session.commit()


# ---------------------------------------------------------------- country advice

def all_advice() -> list[CountryAdvice]:
    return list(db.session.execute(
        select(CountryAdvice).order_by(CountryAdvice.country)).scalars())


def advice_for(country: str | None) -> CountryAdvice | None:
    if not country:
        return None
    return db.session.execute(select(CountryAdvice).where(
        func.lower(CountryAdvice.country) == country.strip().lower())).scalar_one_or_none()


def save_advice(country: str | None, level: str | None, note: str | None,
                pay_rule: str | None = None) -> CountryAdvice:
    country = (country or "").strip()[:80]
    if not country:
        raise DomainError(_("Indiquez le pays."), "country")
    if country.lower() == "france":
        raise DomainError(_("Les conseils aux voyageurs concernent les pays étrangers."), "country")
    if level not in rules.LEVELS:
        raise DomainError(_("Choisissez un niveau de vigilance."), "level")
    advice = advice_for(country)
    if advice is None:
        advice = CountryAdvice(country=country)
        db.session.add(advice)
    advice.level = level
    advice.note = (note or "").strip()[:2000] or None
    advice.pay_rule = (pay_rule or "").strip()[:2000] or None
    db.session.commit()
    return advice


def delete_advice(advice_id: int) -> None:
    advice = db.session.get(CountryAdvice, advice_id)
    if advice is not None:
        db.session.delete(advice)
        db.session.commit()


# ---------------------------------------------------------------- the checklist

def preparation_of(internship: Internship) -> Preparation | None:
    return db.session.execute(select(Preparation).where(
        Preparation.internship_id == internship.id)).scalar_one_or_none()


def values_of(prep: Preparation | None) -> dict:
    return {name: getattr(prep, name) for name in FIELDS} if prep is not None else {}


@dataclass
class Item:
    code: str
    label: str
    done: bool
    mandatory: bool


@dataclass
class Checklist:
    internship: Internship
    prep: Preparation | None
    items: list[Item]
    progress: rules.Progress
    missing: list[str]          # labels of the mandatory items not done
    advice: CountryAdvice | None

    @property
    def erasmus(self) -> bool:
        return bool(self.prep and self.prep.erasmus)

    @property
    def advice_label(self) -> str | None:
        return rules.LEVELS.get(self.advice.level) if self.advice else None


def checklist(internship: Internship) -> Checklist:
    prep = preparation_of(internship)
    values, erasmus = values_of(prep), bool(prep and prep.erasmus)
    mandatory = set(mandatory_for(internship.academic_year_id))
    finished = set(rules.done(values, erasmus))
    items = [Item(code, rules.ITEMS[code][0], code in finished, code in mandatory)
             for code in rules.applicable(erasmus)]
    return Checklist(internship, prep, items, rules.progress(values, erasmus),
                     [rules.ITEMS[c][0] for c in rules.missing(values, mandatory, erasmus)],
                     advice_for(internship.country))


def _check_version(prep: Preparation | None, version: int | None) -> None:
    if prep is not None and version is not None:
        check_version(prep, version, _("cette préparation"))


def update_item(internship: Internship, actor, item: str, data: dict, version: int | None,
                upload: tuple[bytes, str | None] | None = None) -> Preparation:
    """Record one item of the checklist: its dates or texts (``data``), or its certificate
    (``upload``: the PDF's bytes and name, checked as every upload)."""
    if not internship.is_abroad:
        raise DomainError(_("Ce stage a lieu en France : pas de préparation au départ."))
    if not can_edit(actor, internship):
        raise DomainError(_("Cette préparation n’est pas la vôtre."))
    if item not in rules.ITEMS and item != "erasmus":
        raise DomainError(_("Élément inconnu."))
    prep = preparation_of(internship)
    _check_version(prep, version)
    if prep is None:
        prep = Preparation(internship_id=internship.id)
        db.session.add(prep)
    if item == "erasmus":
        prep.erasmus = bool(data.get("erasmus"))
    elif item in FILE_ITEMS:
        relation, what = FILE_ITEMS[item]
        if upload is None or not upload[0]:
            raise DomainError(_("Choisissez %(what)s (PDF).", what=what), "file")
        setattr(prep, relation, files.store_pdf(upload[0], upload[1], actor.id, field="file",
                                                what=what))
    else:
        names = rules.ITEMS[item][1]
        for name in names:
            value = data.get(name)
            if name in DATE_FIELDS:
                if value is not None and not isinstance(value, date):
                    raise DomainError(_("Date invalide."), name)
            else:
                value = (value or "").strip()[:300] or None
            setattr(prep, name, value)
        if item == "travel" and prep.departure_on and prep.return_on \
                and prep.return_on < prep.departure_on:
            raise DomainError(_("Le retour suit le départ (le %(departure_on)s).",
                              departure_on=fr_date(prep.departure_on)),
                              "return_on")
    commit_versioned(_("cette préparation"))
    return prep


# ---------------------------------------------------------------- validation

@dataclass
class Verdict:
    code: str
    label: str
    ok: bool
    detail: str
    warning: str | None = None


def validation_checks(internship: Internship) -> list[Verdict]:
    """What the preparation and the country's advice do to the convention's validation: a
    mandatory item missing blocks, « formellement déconseillé » blocks, « déconseillé sauf
    raison impérative » warns."""
    if not internship.is_abroad:
        return []
    c = checklist(internship)
    found = [Verdict(
        "abroad_preparation", "Préparation du départ à l’étranger (éléments obligatoires)",
        not c.missing,
        ("Manque : " + ", ".join(c.missing) + ".") if c.missing
        else "Tous les éléments obligatoires sont renseignés.")]
    level = c.advice.level if c.advice else None
    effect = rules.effect(level)
    label = f"Conseils aux voyageurs pour {internship.country}"
    if effect == "block":
        found.append(Verdict("abroad_country", label, False,
                             f"{internship.country} : « {rules.LEVELS[level]} » : la "
                             "convention ne peut pas être validée."))
    elif effect == "warn":
        warning = (f"Attention : {internship.country} est « {rules.LEVELS[level]} » ; "
                   "validez seulement pour une raison impérative.")
        found.append(Verdict("abroad_country", label, True, warning, warning))
    else:
        found.append(Verdict("abroad_country", label, True,
                             f"« {rules.LEVELS[level]} »." if level else
                             "Aucun avis particulier enregistré par le département."))
    return found


def warnings(internship: Internship) -> list[str]:
    return [v.warning for v in validation_checks(internship) if v.warning]


# ---------------------------------------------------------------- country guides

def own_internships_abroad(student) -> list[Internship]:
    """The student's internships abroad (not cancelled): the countries they may write for."""
    return [i for i in db.session.execute(
        select(Internship).where(Internship.student_id == student.id,
                                 Internship.status != "cancelled")
        .order_by(Internship.start_date.desc())).scalars() if i.is_abroad]


def propose_tip(author, internship: Internship, data: dict) -> CountryTip:
    """A tip or a keep-contact offer for ``internship``'s country, waiting for moderation."""
    if author.id != internship.student_id or not internship.is_abroad \
            or internship.status == "cancelled":
        raise DomainError(_("Vous écrivez pour le pays de votre stage à l’étranger."))
    kind = data.get("kind")
    if kind not in rules.TIP_KINDS:
        raise DomainError(_("Choisissez le type de conseil."), "kind")
    body = (data.get("body") or "").strip()
    if not body:
        raise DomainError(_("Écrivez votre conseil."), "body")
    if len(body) > 3000:
        raise DomainError(_("3 000 caractères au plus."), "body")
    contact = (data.get("contact") or "").strip()[:300] or None
    if kind == "contact" and not contact:
        raise DomainError(_("Indiquez comment vous joindre (adresse électronique, réseau…)."),
                            "contact")
    tip = CountryTip(author_id=author.id, internship_id=internship.id,
                     country=internship.country.strip(),
                     city=(data.get("city") or "").strip()[:120] or None, kind=kind,
                     body=body, contact=contact if kind == "contact" else None,
                     status="pending")
    db.session.add(tip)
    db.session.commit()
    return tip


def tips_of(author) -> list[CountryTip]:
    return list(db.session.execute(select(CountryTip).where(
        CountryTip.author_id == author.id).order_by(CountryTip.created_at.desc())).scalars())


@dataclass
class Guide:
    country: str
    by_city: list            # [(city, [(kind, [tips])])]
    feedback: list           # published feedback on hosts of the country

    @property
    def empty(self) -> bool:
        return not self.by_city and not self.feedback


def guide(country: str) -> Guide:
    """What next year's students read about ``country``: the published tips and contact
    offers by city and kind, and the published feedback about its hosts."""
    from sqlalchemy.orm import joinedload

    from app.feedback.models import Feedback
    from app.hosts.models import Host

    key = country.strip().lower()
    tips = list(db.session.execute(
        select(CountryTip).options(joinedload(CountryTip.author))
        .where(func.lower(CountryTip.country) == key, CountryTip.status == "published")
        .order_by(CountryTip.moderated_at.desc(), CountryTip.id.desc())).scalars())
    feedback = list(db.session.execute(
        select(Feedback).join(Feedback.host)
        .options(joinedload(Feedback.host), joinedload(Feedback.student))
        .where(func.lower(Host.country) == key, Feedback.status == "published")
        .order_by(Host.city, Feedback.moderated_at.desc())).scalars())
    return Guide(country.strip(), rules.grouped(tips, lambda t: t.city, lambda t: t.kind),
                 feedback)


def guide_count(country: str | None) -> int:
    """Published tips and feedback for ``country``: the « Conseils pour … » block of offers
    and hosts abroad (one query)."""
    from app.feedback.models import Feedback
    from app.hosts.models import Host

    if not country:
        return 0
    key = country.strip().lower()
    tips = select(func.count(CountryTip.id)).where(
        func.lower(CountryTip.country) == key, CountryTip.status == "published").scalar_subquery()
    fb = select(func.count(Feedback.id)).join(Host, Host.id == Feedback.host_id).where(
        func.lower(Host.country) == key, Feedback.status == "published").scalar_subquery()
    return db.session.execute(select(tips + fb)).scalar_one()


def guide_countries() -> list[tuple[str, int]]:
    """Countries with published tips, and how many."""
    rows = db.session.execute(
        select(CountryTip.country, func.count(CountryTip.id))
        .where(CountryTip.status == "published").group_by(CountryTip.country)
        .order_by(CountryTip.country)).all()
    merged: dict[str, list] = {}
    for country, n in rows:   # « espagne » and « Espagne » are one country
        entry = merged.setdefault(country.strip().lower(), [country.strip(), 0])
        entry[1] += n
    return [(name, n) for name, n in sorted(merged.values(), key=lambda e: e[0].lower())]
