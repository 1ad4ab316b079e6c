"""Internships abroad (RULES.md §5): the preparation checklist the student fills, the items
each year makes mandatory, the department's advice per country, and what they do to the
validation of a convention (``app.conventions.checks`` asks ``validation_checks``). The rules
themselves are in ``app.rules.abroad``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from app.abroad.models import CountryAdvice, Preparation, YearSetting
from app.errors import DomainError, StaleEdit
from app.extensions import db
from app.files import services as files
from app.internships.models import Internship
from app.rules import abroad as rules
from app.rules.formatting import fr_date

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
    return user.role in ("secretariat", "admin")


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


def save_advice(country: str | None, level: str | None, note: str | None) -> CountryAdvice:
    country = (country or "").strip()[:80]
    if not country:
        raise DomainError("Indiquez le pays.", "country")
    if country.lower() == "france":
        raise DomainError("Les conseils aux voyageurs concernent les pays étrangers.", "country")
    if level not in rules.LEVELS:
        raise DomainError("Choisissez un niveau de vigilance.", "level")
    advice = advice_for(country)
    if advice is None:
        advice = CountryAdvice(country=country)
        db.session.add(advice)
    advice.level = level
    advice.note = (note or "").strip()[:2000] or None
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
    if prep is not None and version is not None and version != prep.version_id:
        raise StaleEdit("cette préparation")


def update_item(internship: Internship, actor, item: str, data: dict, version: int | None,
                upload: tuple[bytes, str | None] | None = None) -> Preparation:
    """Record one item of the checklist: its dates or texts (``data``), or its certificate
    (``upload``: the PDF's bytes and name, checked as every upload)."""
    if not internship.is_abroad:
        raise DomainError("Ce stage a lieu en France : pas de préparation au départ.")
    if not can_edit(actor, internship):
        raise DomainError("Cette préparation n’est pas la vôtre.")
    if item not in rules.ITEMS and item != "erasmus":
        raise DomainError("Élément inconnu.")
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
            raise DomainError(f"Choisissez {what} (PDF).", "file")
        setattr(prep, relation, files.store_pdf(upload[0], upload[1], actor.id, field="file",
                                                what=what))
    else:
        names = rules.ITEMS[item][1]
        for name in names:
            value = data.get(name)
            if name in DATE_FIELDS:
                if value is not None and not isinstance(value, date):
                    raise DomainError("Date invalide.", name)
            else:
                value = (value or "").strip()[:300] or None
            setattr(prep, name, value)
        if item == "travel" and prep.departure_on and prep.return_on \
                and prep.return_on < prep.departure_on:
            raise DomainError(f"Le retour suit le départ (le {fr_date(prep.departure_on)}).",
                              "return_on")
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleEdit("cette préparation") from None
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
