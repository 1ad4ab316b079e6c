"""What the secretariat verifies before validating a convention (RULES.md §3): the mentions of
D124-4, the department's window, the gratification, and the legal counts of the law as it
says them — the host quota per calendar week (R124-10), the host tutor's conventions at once
(R124-13), the waiting period on the same post (L124-11). The conventions counted are those
in progress (validated or signed) whose dates overlap: the first validated passes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.conventions.models import MANUAL_ITEMS, Convention
from app.conventions.workflow import COUNTED
from app.errors import DomainError
from app.extensions import db
from app.internships import services as internships
from app.internships.models import Internship
from app.plurals import count_text
from app.rules.calendar import length_in_weeks
from app.rules.formatting import fr_date, period_text
from app.rules.quotas import (
    TUTOR_MAX_CONVENTIONS,
    host_quota,
    overlap,
    waiting_period_end,
    weeks_over_quota,
)

MAX_HOURS = Decimal(924)


@dataclass
class CheckItem:
    code: str
    label: str
    ok: bool
    detail: str = ""
    automatic: bool = True


def _counted(*criteria):
    """Other conventions in progress, with their internships (effective dates)."""
    return list(db.session.execute(
        select(Convention).join(Convention.internship)
        .options(joinedload(Convention.internship).joinedload(Internship.student))
        .where(Convention.status.in_(COUNTED), Internship.status != "cancelled", *criteria)
        .order_by(Internship.start_date, Convention.id)).scalars())


def _named(conventions: list[Convention]) -> str:
    return ", ".join(f"{c.internship.student.full_name} "
                     f"({period_text(c.internship.start_date, c.internship.end_date)})"
                     for c in conventions)


def quota_check(convention: Convention) -> CheckItem:
    i, host = convention.internship, convention.internship.host
    label = "Quota de stagiaires de l’organisme"
    if host.headcount is None:
        return CheckItem("quota", label, False,
                         "Effectif de l’organisme inconnu : renseignez-le dans l’annuaire.")
    quota = host_quota(host.headcount)
    others = [c for c in _counted(Internship.host_id == host.id, Convention.id != convention.id)
              if overlap(i.start_date, i.end_date, c.internship.start_date,
                         c.internship.end_date)]
    over = weeks_over_quota(i.start_date, i.end_date,
                            [(c.internship.start_date, c.internship.end_date) for c in others],
                            quota)
    detail = f"{quota} stagiaires au plus la même semaine ({host.headcount} salariés)."
    if over:
        later = count_text(" et %(num)d autre", " et %(num)d autres", len(over) - 1) \
            if len(over) > 1 else ""
        detail += (f" Dépassé la semaine du {fr_date(over[0])}{later}"
                   f" ; conventions déjà validées : {_named(others)}.")
    return CheckItem("quota", label, not over, detail)


def tutor_check(convention: Convention) -> CheckItem:
    i = convention.internship
    label = "Tuteur de l’organisme : au plus 3 conventions en cours en même temps"
    same = []
    if i.host_tutor_email:
        same.append(func.lower(Internship.host_tutor_email) == i.host_tutor_email.lower())
    if i.host_tutor_name:
        same.append((func.lower(Internship.host_tutor_name) == i.host_tutor_name.lower())
                    & (Internship.host_id == i.host_id))
    if not same:
        return CheckItem("host_tutor_load", label, True, "Tuteur à renseigner.")
    others = [c for c in _counted(or_(*same), Convention.id != convention.id)
              if overlap(i.start_date, i.end_date, c.internship.start_date,
                         c.internship.end_date)]
    name = i.host_tutor_name or "Le tuteur"
    if len(others) >= TUTOR_MAX_CONVENTIONS:
        return CheckItem("host_tutor_load", label, False,
                         f"{name} est déjà nommé·e dans {len(others)} conventions en cours "
                         f"pendant ce stage : {_named(others)}.")
    if not others:
        return CheckItem("host_tutor_load", label, True,
                         f"{name} n’a pas d’autre convention en cours pendant ce stage.")
    return CheckItem("host_tutor_load", label, True, count_text(
        "%(name)s a une autre convention en cours pendant ce stage.",
        "%(name)s a %(num)d autres conventions en cours pendant ce stage.", len(others),
        name=name))


def waiting_check(convention: Convention) -> CheckItem:
    i = convention.internship
    label = "Délai de carence entre deux stagiaires sur le même poste (L124-11)"
    if i.offer_id is None:
        return CheckItem("waiting", label, True, "Stage sans offre liée : pas de poste à "
                                                 "comparer.")
    before = [c for c in _counted(Internship.offer_id == i.offer_id,
                                  Convention.id != convention.id,
                                  Internship.end_date < i.start_date)]
    blocking = [(c, waiting_period_end(c.internship.start_date, c.internship.end_date))
                for c in before]
    blocking = [(c, first) for c, first in blocking if i.start_date < first]
    if not blocking:
        return CheckItem("waiting", label, True, "Aucun stage récent sur ce poste.")
    c, first = max(blocking, key=lambda pair: pair[1])
    return CheckItem("waiting", label, False,
                     f"Le poste était occupé par {c.internship.student.full_name} "
                     f"{period_text(c.internship.start_date, c.internship.end_date)} : un "
                     f"nouveau stage ne peut commencer que le {fr_date(first)} au plus tôt.")


def automatic_checks(convention: Convention, today: date) -> list[CheckItem]:
    i = convention.internship
    year = i.academic_year
    items: list[CheckItem] = [CheckItem(
        "window", "Dates dans la fenêtre de l’année", i.start_date >= year.earliest_start,
        f"Début le {fr_date(i.start_date)} ; au plus tôt le {fr_date(year.earliest_start)}.")]
    weeks = length_in_weeks(i.start_date, i.end_date)
    items.append(CheckItem(
        "duration", f"Durée de {year.min_weeks} à {year.max_weeks} semaines",
        year.min_weeks <= weeks <= year.max_weeks,
        f"{internships.weeks_text(i.start_date, i.end_date)}."))
    items.append(CheckItem(
        "programme", "Volume horaire annuel de la formation", bool(year.programme_hours),
        f"{year.programme_hours} heures." if year.programme_hours else
        f"À renseigner par le secrétariat pour l’année {year.label} (Années et taux)."))
    for code, label, value in (("activities", "Activités confiées", i.missions),
                               ("skills", "Compétences à acquérir", i.skills)):
        filled = bool((value or "").strip())
        items.append(CheckItem(code, label, filled, "Renseignées sur la fiche du stage."
                               if filled else "À renseigner sur la fiche du stage."))
    items.extend(_gratification_checks(convention, today))
    items.append(CheckItem(
        "tutors", "Tuteurs nommés (organisme et enseignant·e référent·e)",
        bool(i.host_tutor_name) and convention.academic_tutor_id is not None,
        "; ".join(filter(None, [
            None if i.host_tutor_name else "tuteur de l’organisme à renseigner",
            None if convention.academic_tutor_id else "enseignant·e référent·e à désigner",
        ])) or "Les deux tuteurs sont nommés."))
    items.append(CheckItem(
        "approval", "Accord pédagogique sur le sujet", convention.approved_by_id is not None,
        f"Donné par {convention.approved_by.full_name}." if convention.approved_by
        else "En attente de l’enseignant·e référent·e."))
    items.append(CheckItem(
        "host_checked", "Organisme vérifié par le secrétariat", i.host.checked,
        "Fiche de l’annuaire vérifiée." if i.host.checked else
        "Proposé par l’étudiant·e : vérifiez sa fiche (identité, effectif) dans l’annuaire."))
    items.append(quota_check(convention))
    items.append(tutor_check(convention))
    items.append(waiting_check(convention))
    from app.abroad.services import validation_checks

    items.extend(CheckItem(v.code, v.label, v.ok, v.detail)
                 for v in validation_checks(i))   # abroad: preparation, country's advice
    return items


def _gratification_checks(convention: Convention, today: date) -> list[CheckItem]:
    i = convention.internship
    try:
        g = internships.gratification_of(i, today)
    except DomainError as err:
        return [CheckItem("gratification", "Gratification au moins égale au minimum légal",
                          False, err.message)]
    items = [CheckItem("hours", "Durée totale de présence ≤ 924 heures", g.hours <= MAX_HOURS,
                       f"{g.hours.normalize():f} heures de présence.")]
    others = (f" (avec {g.other_hours.normalize():f} heures d’un autre stage chez le même "
              "organisme cette année)") if g.other_hours else ""
    if i.is_abroad:
        item = CheckItem("gratification", "Gratification (stage à l’étranger)", True,
                         "Le minimum français est indicatif à l’étranger.")
    elif not g.due:
        item = CheckItem("gratification", "Gratification", True,
                         f"Non obligatoire : 308 heures ou moins{others}.")
    elif i.agreed_amount is None:
        item = CheckItem("gratification", "Gratification au moins égale au minimum légal",
                         False, "Gratification obligatoire" + others
                         + " : le montant convenu n’est pas renseigné.")
    else:
        item = CheckItem("gratification", "Gratification au moins égale au minimum légal",
                         g.comparison.ok, g.comparison.message
                         + (f" Obligatoire{others}." if others else ""))
    items.append(item)
    leave_needed = g.days > 44
    items.append(CheckItem(
        "leave", "Congés et absences prévus (stage de plus de 2 mois)",
        (not leave_needed) or bool((convention.leave_conditions or "").strip()),
        "Obligatoire au-delà de 2 mois de présence (L124-13)." if leave_needed
        else "Stage de 2 mois ou moins."))
    return items


def manual_checks(convention: Convention) -> list[CheckItem]:
    """The mentions checked by hand, each with who ticked it and when."""
    ticked = {check.item: check for check in convention.checks}
    items = []
    for code, label in MANUAL_ITEMS.items():
        check = ticked.get(code)
        detail = ""
        if check is not None:
            who = check.checked_by.full_name if check.checked_by else "un compte supprimé"
            detail = f"vérifié par {who} le {check.checked_at:%d/%m/%Y}"
        items.append(CheckItem(code, label, check is not None, detail, automatic=False))
    return items


def manual_check(convention: Convention, item: str) -> CheckItem:
    return next(check for check in manual_checks(convention) if check.code == item)


def problems(convention: Convention, today: date, only: tuple[str, ...] | None = None
             ) -> list[str]:
    """What stops validation, each failing check named; ``only``: the checks an avenant
    touches (the manual ones were verified at validation)."""
    autos = automatic_checks(convention, today)
    if only is not None:
        return [f"{c.label} : {c.detail}" for c in autos if c.code in only and not c.ok]
    failing = [f"{c.label} : {c.detail}" for c in autos if not c.ok]
    failing += [f"{c.label} (à vérifier)" for c in manual_checks(convention) if not c.ok]
    return failing
