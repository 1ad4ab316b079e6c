"""What waits for each person, for their home page: the student's next step, the teacher's
tutees, approvals, defences and evaluations, the coordinator's students without a tutor, the
secretariat's conventions (oldest first) and students without an internship. Read-only: each
part asks its domain's services, a few queries whatever the numbers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.rules.formatting import fr_date

if TYPE_CHECKING:
    from app.evaluations.models import Evaluation

SHOWN = 5   # the first items of each list on a home page; the list's own page has them all


@dataclass
class NextStep:
    """The one thing a student should do now, and where."""

    title: str
    text: str
    endpoint: str | None = None
    params: dict = field(default_factory=dict)
    action: str | None = None


def student_next_step(stage: str, internship, today: date) -> NextStep:
    convention = getattr(internship, "convention", None) if internship else None
    if stage == "searching":
        return NextStep("Trouver votre stage", "Parcourez les offres et candidatez ; dès "
                        "qu’un organisme vous accepte, enregistrez votre stage.",
                        "offers.index", action="Voir les offres")
    if stage == "applied":
        return NextStep("Suivre vos candidatures", "Vos candidatures sont envoyées : leur "
                        "réponse s’affiche dans « Mes candidatures ».", "applications.index",
                        action="Mes candidatures")
    if stage == "ended_early":
        return NextStep("Stage interrompu", "Voyez votre enseignant·e référent·e ; si vous "
                        "faites un nouveau stage, déclarez-le.", "internships.new",
                        action="Déclarer un nouveau stage")
    if internship is None:
        return NextStep("Trouver votre stage", "", "offers.index", action="Voir les offres")
    show_convention = ("conventions.show", {"convention_id": convention.id}) if convention \
        else ("internships.show", {"internship_id": internship.id})
    if stage == "found":
        return NextStep("Préparer votre convention", "Le stage ne peut commencer qu’une fois "
                        "la convention signée par toutes les parties : préparez-la depuis la "
                        "fiche de votre stage.", "internships.show",
                        {"internship_id": internship.id}, "Ma fiche de stage")
    if stage == "convention":
        status = convention.status
        if status == "draft":
            return NextStep("Compléter et soumettre votre convention", "Renseignez les mentions "
                            "demandées puis soumettez-la au secrétariat.", *show_convention,
                            action="Ma convention")
        if status == "changes_requested":
            return NextStep("Corriger votre convention", convention.comment or "Le secrétariat "
                            "demande des corrections.", *show_convention, action="Ma convention")
        if status == "submitted":
            return NextStep("Convention en vérification", "Le secrétariat vérifie votre "
                            "convention ; votre enseignant·e référent·e donne son accord sur le "
                            "sujet.", *show_convention, action="Ma convention")
        return NextStep("Convention en signature", "Elle circule pour signature entre vous, "
                        "l’organisme, les tuteurs et le département.", *show_convention,
                        action="Ma convention")
    if stage == "signed":
        return NextStep("Convention signée", f"Votre stage commence le "
                        f"{fr_date(internship.start_date)}.", "internships.show",
                        {"internship_id": internship.id}, "Ma fiche de stage")
    if stage == "in_progress":
        n, m = internship.week_of(today)
        return NextStep("Stage en cours", f"Semaine {n} sur {m} : notez vos absences sur la "
                        "fiche du stage, gardez le contact avec votre enseignant·e référent·e.",
                        "internships.show", {"internship_id": internship.id},
                        "Ma fiche de stage")
    if stage == "finished":
        return NextStep("Après le stage", "Évaluez l’organisme qui vous a accueilli·e et "
                        "préparez votre soutenance.", "evaluations.index",
                        action="Mes évaluations")
    return NextStep("Soutenance passée", "Partagez votre retour d’expérience avec les "
                    "étudiant·es de l’an prochain.", "feedback.index",
                    action="Retours d’expérience")


@dataclass
class TeacherHome:
    tutees: list
    alerts: int
    approvals: list
    defenses: list
    evaluations: list
    appraisals: list = ()  # tutees whose host's evaluation has arrived (status rows)


def host_appraisal(internship) -> Evaluation | None:
    """The host's evaluation of ``internship`` once submitted (the student may read it)."""
    from app.evaluations.models import Evaluation

    if internship is None:
        return None
    return db.session.execute(select(Evaluation).where(
        Evaluation.internship_id == internship.id, Evaluation.kind == "host_tutor",
        Evaluation.submitted_at.is_not(None))).scalar_one_or_none()


def teacher_home(teacher: User, year, today: date) -> TeacherHome:
    from app.conventions.models import Convention
    from app.defenses import services as defenses
    from app.evaluations import services as evaluations
    from app.internships.models import Internship
    from app.tutoring.models import TutorAssignment
    from app.tutoring.services import my_tutees

    tutees = my_tutees(teacher, year, today)
    approvals = list(db.session.execute(
        select(Convention).join(Convention.internship)
        .join(TutorAssignment, and_(TutorAssignment.student_id == Internship.student_id,
                                    TutorAssignment.academic_year_id
                                    == Internship.academic_year_id,
                                    TutorAssignment.ended_at.is_(None)))
        .options(joinedload(Convention.internship).joinedload(Internship.student))
        .where(TutorAssignment.teacher_id == teacher.id,
               Convention.status.in_(("submitted", "changes_requested")),
               Convention.approved_by_id.is_(None))
        .order_by(Convention.submitted_at).limit(SHOWN)).scalars())
    start_of_today = datetime.combine(today, time.min)
    upcoming = [d for d in defenses.mine(teacher) if d.starts_at >= start_of_today][:SHOWN]
    rows = evaluations.status_rows(teacher)
    to_write = [row for row in rows
                if (e := row.evaluations.get("academic_tutor")) is not None
                and e.submitted_at is None][:SHOWN]
    arrived = sorted((row for row in rows
                      if (e := row.evaluations.get("host_tutor")) is not None
                      and e.submitted_at is not None
                      and row.internship.academic_year_id == year.id),
                     key=lambda row: row.evaluations["host_tutor"].submitted_at, reverse=True)
    return TeacherHome(tutees[:SHOWN * 2], sum(t.no_contact_warning for t in tutees),
                       approvals, upcoming, to_write, arrived[:SHOWN])


@dataclass
class SecretariatHome:
    counts: dict
    oldest: list
    starting_soon: int
    without_internship: int
    cohort: dict


def secretariat_home(year, today: date) -> SecretariatHome:

    from app.conventions import services as conventions
    from app.internships import services as internships

    oldest = list(db.session.execute(conventions.queue_query(
        conventions.QueueFilters(status="submitted"), today).limit(SHOWN)).unique().scalars())
    soon = conventions.starting_soon_count(year, today)
    cohort = internships.cohort_counts(year, today)
    return SecretariatHome(conventions.counts(year), oldest, soon,
                           sum(cohort[s] for s in internships.WITHOUT_INTERNSHIP), cohort)


def waiting_for_tutor(year) -> int:
    from app.tutoring.services import tutee_counts

    return tutee_counts(year)[0]
