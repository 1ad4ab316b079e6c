"""What a convention states: its terms, taken from the internship and the convention's own
mentions, frozen at validation, changed afterwards only by avenants (RULES.md §3).

Terms are kept as JSON (dates and amounts as text) so that a snapshot never depends on the
records it was taken from. Each term has one French label and one way of being written, used
by the convention page, the PDFs and the avenants' « avant → après » lines.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.rules.calendar import ZONES, days_label, parse_days
from app.rules.formatting import fr_date, hours_text, money_text

# The terms an avenant can change, by kind of avenant.
AMENDABLE = {
    "dates": ("start_date", "end_date"),
    "schedule": ("work_days", "weekly_hours", "holidays_worked", "special_hours"),
    "host_tutor": ("host_tutor_name", "host_tutor_position", "host_tutor_email",
                   "host_tutor_phone"),
    "gratification": ("agreed_amount", "agreed_unit", "payment_terms"),
    "activities": ("subject", "missions", "skills"),
    "conditions": ("supervision", "leave_conditions", "benefits", "social_protection"),
    "academic_tutor": ("academic_tutor_id", "academic_tutor_name"),
}
AMENDMENT_KINDS = {
    "dates": "Dates du stage",
    "schedule": "Horaires et jours de présence",
    "host_tutor": "Tuteur ou tutrice de l’organisme",
    "gratification": "Gratification",
    "activities": "Sujet, activités et compétences",
    "conditions": "Encadrement, congés, avantages, protection sociale",
    "academic_tutor": "Enseignant·e référent·e",
}
# Which checks of the convention a kind of avenant touches: only those run again.
RECHECKED = {
    "dates": ("window", "duration", "hours", "gratification", "leave", "quota",
              "host_tutor_load", "waiting"),
    "schedule": ("hours", "gratification", "leave"),
    "host_tutor": ("host_tutor_load",),
    "gratification": ("gratification",),
    "activities": ("activities", "skills"),
    "conditions": ("leave",),
    "academic_tutor": (),
}

LABELS = {
    "student_name": "Étudiant·e",
    "student_email": "Courriel de l’étudiant·e",
    "student_cohort": "Promotion",
    "student_group": "Groupe",
    "host_id": "Organisme d’accueil",
    "host_name": "Organisme d’accueil",
    "host_address": "Adresse de l’organisme",
    "host_city": "Ville de l’organisme",
    "host_country": "Pays de l’organisme",
    "host_siret": "SIRET",
    "host_foreign_id": "Identifiant de l’organisme dans son pays",
    "country": "Pays du stage",
    "subject": "Sujet",
    "missions": "Activités confiées",
    "skills": "Compétences à acquérir",
    "objectives": "Objectifs",
    "start_date": "Date de début",
    "end_date": "Date de fin",
    "work_days": "Jours de présence",
    "weekly_hours": "Durée hebdomadaire",
    "holidays_worked": "Jours fériés travaillés",
    "zone": "Jours fériés applicables",
    "special_hours": "Présence de nuit, le dimanche ou les jours fériés",
    "host_tutor_name": "Tuteur ou tutrice de l’organisme",
    "host_tutor_position": "Fonction du tuteur ou de la tutrice",
    "host_tutor_email": "Courriel du tuteur ou de la tutrice",
    "host_tutor_phone": "Téléphone du tuteur ou de la tutrice",
    "academic_tutor_id": "Enseignant·e référent·e",
    "academic_tutor_name": "Enseignant·e référent·e",
    "academic_tutor": "Enseignant·e référent·e",
    "agreed_amount": "Gratification",
    "agreed_unit": "Unité de la gratification",
    "supervision": "Modalités d’encadrement",
    "payment_terms": "Modalités de versement",
    "leave_conditions": "Congés et autorisations d’absence",
    "benefits": "Avantages",
    "social_protection": "Protection sociale",
    "programme_title": "Formation",
    "programme_hours": "Volume horaire annuel de la formation",
}
UNITS = {"hour": "par heure", "month": "par mois"}
HIDDEN = ("academic_tutor_id", "host_id")   # ids: never shown, their names are


@dataclass(frozen=True)
class Terms:
    """A convention's terms as plain values (see ``LABELS``)."""

    values: Mapping

    def __getattr__(self, name):
        values = object.__getattribute__(self, "values")
        if name not in LABELS:
            raise AttributeError(name)
        raw = values.get(name)
        if raw is None:
            return None
        if name in ("start_date", "end_date"):
            return date.fromisoformat(raw)
        if name in ("weekly_hours", "agreed_amount"):
            return Decimal(raw)
        return raw

    @property
    def days(self) -> frozenset[int]:
        return parse_days(self.values.get("work_days"))

    @property
    def is_abroad(self) -> bool:
        return (self.values.get("country") or "France") != "France"

    def to_json(self) -> dict:
        return dict(self.values)

    def changed(self, changes: Mapping[str, tuple]) -> Terms:
        new = dict(self.values)
        for key, (_, after) in changes.items():
            if key == "academic_tutor":   # avenants written before the terms had ids
                new["academic_tutor_name"] = after
            else:
                new[key] = after
        return Terms(new)


def plain(value):
    """A value as the terms keep it (JSON)."""
    if isinstance(value, (date, Decimal)):
        return str(value) if not isinstance(value, Decimal) else format(value.normalize(), "f")
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return value.strip() or None
    return value


def snapshot(internship, convention, programme_title: str,
             programme_hours: int | None) -> Terms:
    """The terms as the records state them now."""
    i, host, student = internship, internship.host, internship.student
    tutor = convention.academic_tutor
    values = {
        "student_name": student.full_name, "student_email": student.email,
        "student_cohort": student.cohort, "student_group": student.group_name,
        "host_id": host.id, "host_name": host.name, "host_address": host.address,
        "host_city": host.city, "host_country": host.country, "host_siret": host.siret,
        "host_foreign_id": host.foreign_id,
        "country": i.country, "subject": i.subject, "missions": i.missions, "skills": i.skills,
        "objectives": [o.statement for o in i.objectives],
        "start_date": i.start_date, "end_date": i.end_date, "work_days": i.work_days,
        "weekly_hours": Decimal(i.weekly_hours), "holidays_worked": bool(i.holidays_worked),
        "zone": i.zone, "special_hours": convention.special_hours,
        "host_tutor_name": i.host_tutor_name, "host_tutor_position": i.host_tutor_position,
        "host_tutor_email": i.host_tutor_email, "host_tutor_phone": i.host_tutor_phone,
        "academic_tutor_id": convention.academic_tutor_id,
        "academic_tutor_name": tutor.full_name if tutor else None,
        "agreed_amount": (Decimal(i.agreed_amount) if i.agreed_amount is not None else None),
        "agreed_unit": i.agreed_unit, "supervision": convention.supervision,
        "payment_terms": convention.payment_terms,
        "leave_conditions": convention.leave_conditions, "benefits": convention.benefits,
        "social_protection": convention.social_protection,
        "programme_title": programme_title, "programme_hours": programme_hours,
    }
    return Terms({k: plain(v) for k, v in values.items()})


def effective(validated: Mapping | None, amendments: Iterable, live: Terms) -> Terms:
    """The validated terms plus each avenant in order; before validation, the live terms."""
    if validated is None:
        return live
    terms = Terms(dict(validated))
    for amendment in amendments:
        terms = terms.changed(amendment.changes)
    return terms


def written(key: str, value) -> str:
    """A term's value as a person reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if key in ("start_date", "end_date"):
        return fr_date(date.fromisoformat(value))
    if key == "weekly_hours":
        return hours_text(Decimal(value)) + " par semaine"
    if key == "agreed_amount":
        return money_text(Decimal(value))
    if key == "agreed_unit":
        return UNITS.get(value, value)
    if key == "work_days":
        return days_label(parse_days(value))
    if key == "holidays_worked":
        return "oui" if value else "non"
    if key == "zone":
        return ZONES.get(value, value)
    if key == "objectives":
        return " ; ".join(value)
    if key == "programme_hours":
        return hours_text(Decimal(value))
    return str(value)


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label} : {self.before} → {self.after}"


def change_lines(changes: Mapping[str, tuple]) -> list[ChangeLine]:
    """« Date de fin : 30 juin 2027 → 15 juillet 2027 », one per changed term shown."""
    return [ChangeLine(LABELS.get(key, key), written(key, before), written(key, after))
            for key, (before, after) in changes.items() if key not in HIDDEN]


def diff(before: Terms, proposed: Mapping) -> dict[str, list]:
    """The terms ``proposed`` changes, as {key: [before, after]} in JSON values."""
    changes = {}
    for key, value in proposed.items():
        old, new = before.values.get(key), plain(value)
        if old != new:
            changes[key] = [old, new]
    return changes
