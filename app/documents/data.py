"""What the documents state: plain dataclasses, every text already formatted (in French, and
in English for the English version of a convention with a host abroad)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Signatory:
    role: str               # « L’étudiant·e », « Pour l’organisme d’accueil »…
    name: str | None        # None: a line to fill by hand
    signed_on: str | None   # already formatted French date, or None


@dataclass
class ConventionDoc:
    number: str
    year_label: str
    draft: bool
    school_name: str
    school_address: str
    school_city: str
    department: str
    school_representative: str | None
    programme_title: str
    programme_hours: str
    student_name: str
    student_email: str
    student_cohort: str
    student_group: str | None
    host_name: str
    host_address: str
    host_country: str
    host_identifier_label: str
    host_identifier: str | None
    host_representative: str | None
    host_tutor_name: str
    host_tutor_position: str | None
    host_tutor_email: str | None
    host_tutor_phone: str | None
    academic_tutor_name: str
    academic_tutor_email: str | None
    subject: str
    activities: str
    skills: str
    objectives: list[str]
    start_date: str
    end_date: str
    duration: str
    presence_days: int
    presence_hours: str
    weekly_hours: str
    work_days: str
    daily_hours: str
    special_hours: str | None
    holidays_worked: bool
    supervision: str
    gratification: str
    gratification_due: bool
    legal_minimum: str | None
    payment_terms: str
    abroad: bool
    social_protection: str
    leave_conditions: str
    benefits: str
    internal_rules: str | None = None
    schedule: list[tuple[str, str]] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)
    signed_place: str | None = None
    amendments_note: str | None = None
    host_representative_position: str | None = None   # « en qualité de … »; None: a line
    english: EnglishVersion | None = None   # a host abroad: the English version follows


@dataclass
class EnglishVersion:
    """The same convention in English for a host abroad (RULES.md §5): the facts formatted
    for an English reader; the free texts stay as written (in the parties' language)."""

    host_country: str
    start_date: str
    end_date: str
    duration: str
    presence_hours: str
    weekly_hours: str
    work_days: str
    daily_hours: str
    programme_hours: str
    gratification: str
    legal_minimum: str | None
    host_rule: str  # the host country's rule on pay, as information
    host_rule_fr: str


@dataclass
class AmendmentDoc:
    convention_number: str
    number: int
    date: str
    reason: str
    student_name: str
    host_name: str
    year_label: str
    school_name: str
    school_city: str
    changes: list[tuple[str, str, str]]   # (label, before, after)
    signatories: list[Signatory]
    draft: bool = False                   # True before validation: « Projet — ne pas signer »


@dataclass
class AttestationDoc:
    host_name: str
    host_address: str
    host_identifier_label: str
    host_identifier: str | None
    student_name: str
    student_cohort: str
    school_name: str
    programme_title: str
    subject: str
    start_date: str
    end_date: str
    duration: str
    presence_days: int
    presence_hours: str
    ended_early: bool
    planned_end_date: str | None
    paid_total: str | None       # as recorded; None: a blank for the host, never an estimate
    host_city: str | None
    host_representative: str | None = None   # who signs for the host; None: a line
