"""The running academic year, as it stands in late autumn: applications in every status,
internships declared, conventions in every state, tutors for most, a draft defence schedule."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from app.accounts.models import User
from app.applications import services as applications
from app.conventions import amendments
from app.conventions import services as conventions
from app.conventions.models import MANUAL_ITEMS, Convention
from app.defenses import services as defenses
from app.demo.steps import (
    DOMAIN,
    Cast,
    at,
    cv_pdf,
    internship_data,
    prepare_convention,
    sign_all,
    tick_all,
    user_by_email,
    weekday_on_or_after,
)
from app.extensions import db
from app.hosts.models import Host
from app.internships import services as internships
from app.internships.models import Internship
from app.offers.models import Offer
from app.tutoring import services as tutoring

# Who does what this year, in the order the students are taken (the first the most useful)
ROLES = ["signed_offer", "signed", "signed", "signed", "amended", "signing_half", "signing",
         "validated", "validated", "submitted_checked", "submitted_no_tutor", "submitted",
         "changes", "changes", "draft", "draft_offer", "cancelled", "found", "found_no_tutor",
         "apps_refused_sent", "apps_withdrawn_interview", "apps_sent", "apps_interview"]
# The demo teacher's tutees (by role index), besides the demo student
COORDINATOR_TUTEES = (0, 4, 7, 12)
NO_TUTOR = ("submitted_no_tutor", "found_no_tutor")
MOTIVATION = ("Madame, Monsieur,\n\nÉtudiant·e en troisième année de BUT, je souhaite "
              "effectuer mon stage au sein de votre service : la mission proposée rejoint le "
              "projet que je mène depuis la deuxième année. Vous trouverez mon CV joint.\n\n"
              "Je me tiens à votre disposition pour un entretien.")
# What each role's applications become after « sent » (the demo student's apart)
PLANS = {
    "signed_offer": (("interview", "accepted"),),
    "draft_offer": (("accepted",),),
    "apps_refused_sent": (("refused",), ()),
    "apps_withdrawn_interview": (("withdrawn",), ("interview",)),
    "apps_sent": ((), ()),
    "apps_interview": (("interview",),),
}
SENT_DAYS = 50  # the applications were sent seven weeks ago
DEMO_STUDENT_PLAN = (("refused",), ("interview", "accepted"))
WILL_VALIDATE = ("signed", "signed_offer", "amended", "signing_half", "signing", "validated",
                 "cancelled")
CHANGES = ["Les modalités de versement de la gratification sont à préciser (date et mode de "
           "versement).",
           "Les activités confiées sont trop générales : détaillez les missions sur la fiche "
           "du stage, puis soumettez à nouveau."]


def seed_running_year(cast: Cast, year, today: date) -> int:
    """The running year, as it stands in late autumn."""
    story = _cast_the_year(cast, year, today)
    plans = _plan_applications(story)
    sent = _send_applications(story, plans)
    _answer_applications(story, plans, sent)
    _declare_internships(story)
    _assign_tutors(story)
    _prepare_conventions(story)
    beyond_draft = _submit_conventions(story)
    _approve(story, beyond_draft)
    _validate(story, beyond_draft)
    _request_changes(story, beyond_draft)
    _sign(story, beyond_draft)
    _cancel(story, beyond_draft)
    _amend(story, beyond_draft)
    with at(story.ago(1)):
        _find_again(story)
        _draft_defences(story)
    return len(story.papers)


@dataclass
class Story:
    """The running year as it is told: who plays which role, what the steps produced."""
    cast: Cast
    year: object
    now: datetime
    demo_student: User
    demo_applies: bool   # the demo student has no internship this year yet
    cast_of: list[tuple[str, User]]   # (role, student), in the order of ``ROLES``
    offer_of: Iterator   # the offers open to applications, one host each
    host_of: Iterator    # the other hosts, for the internships found without an offer
    people: dict[int, User] = field(default_factory=dict)
    accepted: dict = field(default_factory=dict)   # student id -> (internship, offer)
    records: dict = field(default_factory=dict)    # student id -> internship
    papers: dict = field(default_factory=dict)     # student id -> convention

    def ago(self, days: int) -> datetime:
        return self.now - timedelta(days=days)


def _cast_the_year(cast: Cast, year, today: date) -> Story:
    """The students without an internship this year, each given a role; the offers."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    demo_student = user_by_email(f"etudiant@{DOMAIN}")
    has_one = set(db.session.execute(select(Internship.student_id).where(
        Internship.academic_year_id == year.id)).scalars())
    pool = [s for s in db.session.execute(
        select(User).where(User.role == "student", User.cohort == "BUT3",
                           User.track == "initial", User.active.is_(True),
                           User.id != demo_student.id).order_by(User.id)).scalars()
            if s.id not in has_one]
    cast_of = list(zip(ROLES, pool, strict=False))
    # offers open to applications when they are sent (SENT_DAYS ago), one host each; the
    # hosts of the others apart. Late in the year fewer are open: fewer students apply.
    sent_on = (now - timedelta(days=SENT_DAYS)).date()
    offers, seen = [], set()
    for offer in db.session.execute(
            select(Offer).join(Offer.host)
            .where(Offer.status == "published", Offer.deadline >= sent_on,
                   Offer.start_date >= year.earliest_start, Host.country == "France",
                   Host.headcount.is_not(None)).order_by(Offer.id)).scalars():
        if offer.host_id not in seen and len(offers) < 12:
            seen.add(offer.host_id)
            offers.append(offer)
    free_hosts = [h for h in cast.hosts if h.id not in seen]
    people = {u.id: u for u in [demo_student] + [s for _, s in cast_of]}
    return Story(cast, year, now, demo_student, demo_student.id not in has_one, cast_of,
                 iter(offers), iter(free_hosts), people)


def _plan_applications(story: Story) -> dict:
    """Student id -> [(offer, the application's statuses after « sent »)]."""
    plans = {}
    wanted = ([(story.demo_student, DEMO_STUDENT_PLAN)] if story.demo_applies else []) + [
        (student, PLANS[role]) for role, student in story.cast_of if role in PLANS]
    for student, plan in wanted:
        offers = list(itertools.islice(story.offer_of, len(plan)))
        if len(offers) < len(plan):
            break   # no offer left open at that date: the others do not apply
        plans[student.id] = list(zip(offers, plan, strict=True))
    return plans


def _send_applications(story: Story, plans: dict) -> dict:
    """October: the applications, with a CV each; (student id, offer id) -> application."""
    sent = {}
    with at(story.ago(SENT_DAYS)):
        for student_id, plan in plans.items():
            student = story.people[student_id]
            cv = cv_pdf(student)
            for offer, _ in plan:
                sent[(student_id, offer.id)] = applications.apply(
                    student, offer, MOTIVATION, cv, f"CV-{student.last_name}.pdf",
                    story.ago(SENT_DAYS).date())
    return sent


def _answer_applications(story: Story, plans: dict, sent: dict) -> None:
    """The applications move on, in two steps; the accepted ones become internships."""
    for step, days in ((0, 36), (1, 29)):
        with at(story.ago(days)):
            for student_id, plan in plans.items():
                for offer, statuses in plan:
                    if len(statuses) > step:
                        _answer(story, student_id, offer, sent[(student_id, offer.id)],
                                statuses[step], story.ago(days).date())


def _answer(story: Story, student_id: int, offer, application, status: str,
            day: date) -> None:
    if status == "withdrawn":
        applications.withdraw(story.people[student_id], application, application.version_id)
        return
    _, internship = applications.change_status(
        story.cast.secretariat, application, status,
        "Entretien fixé avec le tuteur de l’organisme." if status == "interview" else None,
        application.version_id, day)
    if internship is not None:
        story.accepted[student_id] = (internship, offer)


def _declare_internships(story: Story) -> None:
    """Early November: the internships are declared, or completed from the accepted offer."""
    with at(story.ago(27)):
        for n, (role, student) in enumerate(story.cast_of):
            if role.startswith("apps_"):
                continue
            if student.id in story.accepted:
                internship = _complete_from_offer(story, student, n)
            else:
                internship = _declare_found(story, role, student, n)
            story.records[student.id] = internship
        demo_student = story.demo_student
        if demo_student.id in story.accepted:
            story.records[demo_student.id] = _complete_from_offer(story, demo_student, 2,
                                                                  weeks=14)


def _complete_from_offer(story: Story, student: User, n: int, weeks: int | None = None):
    """The internship of an accepted application, completed by its student; ``weeks``: the
    offer's (within the year's limits) unless given."""
    internship, offer = story.accepted[student.id]
    if weeks is None:
        weeks = max(story.year.min_weeks,
                    min(story.year.max_weeks, offer.duration_weeks or 12))
    data = internship_data(story.cast, internship.host, internship.start_date, weeks, n,
                           offer=offer)
    data.weekly_hours = Decimal(internship.weekly_hours)
    internships.update_internship(internship, data, internship.version_id, student)
    return internship


def _declare_found(story: Story, role: str, student: User, n: int):
    """An internship found without an offer, declared by its student."""
    start = weekday_on_or_after(story.year.earliest_start, 0) + timedelta(days=7 * (n % 4))
    weeks = 12 if role == "amended" else (12, 13, 14, 16)[n % 4]
    internship, _ = internships.create_internship(
        student, internship_data(story.cast, next(story.host_of), start, weeks, n))
    return internship


def _assign_tutors(story: Story) -> None:
    """Tutors: the coordinator assigns most, a few wait (apprentices too)."""
    cast, year, demo_student = story.cast, story.year, story.demo_student
    others = cast.teachers[1:]
    with at(story.ago(22)):
        if demo_student.id in story.records:
            tutoring.assign(cast.coordinator, demo_student, cast.coordinator, year)
        for n, (role, student) in enumerate(story.cast_of):
            if student.id not in story.records or role in NO_TUTOR:
                continue
            teacher = cast.coordinator if n in COORDINATOR_TUTEES else others[n % len(others)]
            tutoring.assign(cast.coordinator, student, teacher, year)
        taken = tutoring.open_assignments(year)
        apprentices = [s for s in db.session.execute(
            select(User).where(User.role == "student", User.track == "apprentice",
                               User.active.is_(True)).order_by(User.cohort.desc(), User.id)
        ).scalars() if s.id not in taken]
        for n, student in enumerate(apprentices[:-3]):
            tutoring.assign(cast.coordinator, student, others[(n + 5) % len(others)], year)


def _prepare_conventions(story: Story) -> None:
    """The students prepare their conventions (not those who have just found)."""
    cast, records, demo_student = story.cast, story.records, story.demo_student
    with at(story.ago(18)):
        for role, student in story.cast_of:
            if student.id in records and role not in ("found", "found_no_tutor"):
                story.papers[student.id] = prepare_convention(cast, records[student.id],
                                                              student)
        if demo_student.id in records:
            story.papers[demo_student.id] = prepare_convention(cast, records[demo_student.id],
                                                               demo_student)


def _submit_conventions(story: Story) -> list[tuple[str, User]]:
    """Submitted over two weeks, not all at once: the queue shows the oldest first. Returns
    the (role, student) whose convention goes beyond the draft."""
    papers = story.papers
    beyond_draft = [(r, s) for r, s in story.cast_of if s.id in papers
                    and not r.startswith("draft")]
    with at(story.ago(15)):
        for _, student in beyond_draft + [("submitted", story.demo_student)]:
            c = papers.get(student.id)
            if c is not None:
                conventions.submit(c, student, c.version_id)
    for k, c in enumerate(c for c in papers.values() if c.submitted_at is not None):
        db.session.execute(update(Convention.__table__)
                           .where(Convention.__table__.c.id == c.id)
                           .values(submitted_at=story.ago(16) + timedelta(hours=5 * k)))
    db.session.commit()
    return beyond_draft


def _approve(story: Story, beyond_draft) -> None:
    """The academic tutors give their pedagogical approval."""
    with at(story.ago(12)):
        for role, student in beyond_draft:
            if role in WILL_VALIDATE or role in ("submitted_checked", "changes"):
                c = story.papers[student.id]
                conventions.approve(c, c.academic_tutor, c.version_id)


def _validate(story: Story, beyond_draft) -> None:
    """The secretariat checks them, and validates most."""
    cast = story.cast
    with at(story.ago(9)):
        for role, student in beyond_draft:
            c = story.papers[student.id]
            if role in WILL_VALIDATE:
                tick_all(cast, c)
                conventions.validate(c, cast.secretariat, c.version_id, story.ago(9).date())
            elif role == "submitted_checked":
                tick_all(cast, c, list(MANUAL_ITEMS)[:6])


def _request_changes(story: Story, beyond_draft) -> None:
    with at(story.ago(8)):
        for k, (_, student) in enumerate(r for r in beyond_draft if r[0] == "changes"):
            c = story.papers[student.id]
            conventions.request_changes(c, story.cast.secretariat, CHANGES[k % 2],
                                        c.version_id)


def _sign(story: Story, beyond_draft) -> None:
    """Sent for signature; signed by all, by half, or not yet."""
    cast = story.cast
    with at(story.ago(6)):
        for role, student in beyond_draft:
            c = story.papers[student.id]
            if role in ("signed", "signed_offer", "amended", "signing"):
                conventions.send_for_signature(c, cast.secretariat, c.version_id)
            if role in ("signed", "signed_offer", "amended"):
                sign_all(cast, c, story.ago(6).date())
            elif role == "signing_half":
                sign_all(cast, c, story.ago(6).date(), ["student", "host"])


def _cancel(story: Story, beyond_draft) -> None:
    with at(story.ago(4)):
        for role, student in beyond_draft:
            c = story.papers[student.id]
            if role == "cancelled":
                conventions.cancel(c, story.cast.secretariat,
                                   "L’organisme a gelé le poste faute de budget (courriel du "
                                   "service du personnel).", c.version_id, story.ago(4).date())


def _amend(story: Story, beyond_draft) -> None:
    with at(story.ago(2)):
        for role, student in beyond_draft:
            c = story.papers[student.id]
            if role == "amended":
                i = c.internship
                amendments.amend(
                    c, story.cast.secretariat, "dates",
                    "Prolongation de deux semaines à la demande de l’organisme, pour achever "
                    "le récolement.", {"end_date": (i.end_date + timedelta(days=14)).isoformat()},
                    c.version_id, story.ago(2).date())


def _find_again(story: Story) -> None:
    """The student whose convention was cancelled has found another internship."""
    for n, (role, student) in enumerate(story.cast_of):
        if role == "cancelled":
            start = weekday_on_or_after(story.year.earliest_start, 0) + timedelta(days=21)
            internship, _ = internships.create_internship(
                student, internship_data(story.cast, next(story.host_of), start, 12, n + 1))
            prepare_convention(story.cast, internship, student)


def _draft_defences(story: Story) -> None:
    """A draft defence schedule for September: three days, the proposal not published."""
    year = story.year
    first_day = weekday_on_or_after(date(year.start_year + 1, 9, 7), 1)
    if not defenses.sessions(year):
        for k in range(3):
            defenses.add_session(story.cast.secretariat, year, first_day + timedelta(days=k),
                                 "B204", time(9, 0), time(17, 0), 45)
        defenses.propose(story.cast.secretariat, year)
