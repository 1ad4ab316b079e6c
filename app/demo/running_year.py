"""The running academic year, as it stands in late autumn: applications in every status,
internships declared, conventions in every state, tutors for most, a draft defence schedule."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from app.accounts.models import User
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
CHANGES = ["Les modalités de versement de la gratification sont à préciser (date et mode de "
           "versement).",
           "Les activités confiées sont trop générales : détaillez les missions sur la fiche "
           "du stage, puis soumettez à nouveau."]


def seed_running_year(cast: Cast, year, today: date) -> int:
    """The running year, as it stands in late autumn."""
    from app.applications import services as applications
    from app.conventions import amendments
    from app.conventions import services as conventions
    from app.conventions.models import MANUAL_ITEMS
    from app.defenses import services as defenses
    from app.internships import services as internships
    from app.internships.models import Internship
    from app.offers.models import Offer
    from app.tutoring import services as tutoring

    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)

    def ago(days: int) -> datetime:
        return now - timedelta(days=days)

    demo_student = user_by_email(f"etudiant@{DOMAIN}")
    has_one = set(db.session.execute(select(Internship.student_id).where(
        Internship.academic_year_id == year.id)).scalars())
    pool = [s for s in db.session.execute(
        select(User).where(User.role == "student", User.cohort == "BUT3",
                           User.track == "initial", User.active.is_(True),
                           User.id != demo_student.id).order_by(User.id)).scalars()
            if s.id not in has_one]
    cast_of = list(zip(ROLES, pool, strict=False))
    # offers open to applications, one host each; the hosts of the others apart
    offers, seen = [], set()
    for offer in db.session.execute(
            select(Offer).join(Offer.host)
            .where(Offer.status == "published", Offer.deadline >= today,
                   Offer.start_date >= year.earliest_start, Host.country == "France",
                   Host.headcount.is_not(None)).order_by(Offer.id)).scalars():
        if offer.host_id not in seen and len(offers) < 12:
            seen.add(offer.host_id)
            offers.append(offer)
    free_hosts = [h for h in cast.hosts if h.id not in seen]
    offer_of = iter(offers)
    host_of = iter(free_hosts)

    # October: applications, with a CV each
    plans = {}   # student id -> [(offer, [statuses after « sent »])]
    if demo_student.id not in has_one:
        plans[demo_student.id] = [(next(offer_of), ["refused"]),
                                  (next(offer_of), ["interview", "accepted"])]
    for role, student in cast_of:
        if role == "signed_offer":
            plans[student.id] = [(next(offer_of), ["interview", "accepted"])]
        elif role == "draft_offer":
            plans[student.id] = [(next(offer_of), ["accepted"])]
        elif role == "apps_refused_sent":
            plans[student.id] = [(next(offer_of), ["refused"]), (next(offer_of), [])]
        elif role == "apps_withdrawn_interview":
            plans[student.id] = [(next(offer_of), ["withdrawn"]),
                                 (next(offer_of), ["interview"])]
        elif role == "apps_sent":
            plans[student.id] = [(next(offer_of), []), (next(offer_of), [])]
        elif role == "apps_interview":
            plans[student.id] = [(next(offer_of), ["interview"])]
    people = {u.id: u for u in [demo_student] + [s for _, s in cast_of]}
    sent = {}
    with at(ago(50)):
        for student_id, plan in plans.items():
            student = people[student_id]
            cv = cv_pdf(student)
            for offer, _ in plan:
                sent[(student_id, offer.id)] = applications.apply(
                    student, offer, MOTIVATION, cv, f"CV-{student.last_name}.pdf", ago(50).date())
    accepted = {}
    for step, days in ((0, 36), (1, 29)):
        with at(ago(days)):
            for student_id, plan in plans.items():
                for offer, statuses in plan:
                    if len(statuses) <= step:
                        continue
                    application = sent[(student_id, offer.id)]
                    if statuses[step] == "withdrawn":
                        applications.withdraw(people[student_id], application,
                                              application.version_id)
                        continue
                    _, internship = applications.change_status(
                        cast.secretariat, application, statuses[step],
                        "Entretien fixé avec le tuteur de l’organisme."
                        if statuses[step] == "interview" else None,
                        application.version_id, ago(days).date())
                    if internship is not None:
                        accepted[student_id] = (internship, offer)

    # early November: the internships are declared, or completed from the accepted offer
    records = {}
    with at(ago(27)):
        for n, (role, student) in enumerate(cast_of):
            if role.startswith("apps_"):
                continue
            if student.id in accepted:
                internship, offer = accepted[student.id]
                weeks = max(year.min_weeks, min(year.max_weeks, offer.duration_weeks or 12))
                data = internship_data(cast, internship.host, internship.start_date, weeks, n,
                                       offer=offer)
                data.weekly_hours = Decimal(internship.weekly_hours)
                internships.update_internship(internship, data, internship.version_id, student)
            else:
                start = weekday_on_or_after(year.earliest_start, 0) + timedelta(
                    days=7 * (n % 4))
                weeks = 12 if role == "amended" else (12, 13, 14, 16)[n % 4]
                internship, _ = internships.create_internship(
                    student, internship_data(cast, next(host_of), start, weeks, n))
            records[student.id] = internship
        if demo_student.id in accepted:
            internship, offer = accepted[demo_student.id]
            data = internship_data(cast, internship.host, internship.start_date, 14, 2,
                                   offer=offer)
            data.weekly_hours = Decimal(internship.weekly_hours)
            internships.update_internship(internship, data, internship.version_id,
                                          demo_student)
            records[demo_student.id] = internship

    # tutors: the coordinator assigns most, a few wait (apprentices too)
    others = cast.teachers[1:]
    with at(ago(22)):
        if demo_student.id in records:
            tutoring.assign(cast.coordinator, demo_student, cast.coordinator, year)
        for n, (role, student) in enumerate(cast_of):
            if student.id not in records or role in NO_TUTOR:
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

    # conventions: prepared, submitted, approved, checked, validated, signed…
    papers = {}
    with at(ago(18)):
        for role, student in cast_of:
            if student.id in records and role not in ("found", "found_no_tutor"):
                papers[student.id] = prepare_convention(cast, records[student.id], student)
        if demo_student.id in records:
            papers[demo_student.id] = prepare_convention(cast, records[demo_student.id],
                                                         demo_student)
    beyond_draft = [(r, s) for r, s in cast_of if s.id in papers
                    and not r.startswith("draft")]
    with at(ago(15)):
        for _, student in beyond_draft + [("submitted", demo_student)]:
            c = papers.get(student.id)
            if c is not None:
                conventions.submit(c, student, c.version_id)
    # submitted over two weeks, not all at once: the queue shows the oldest first
    from app.conventions.models import Convention

    for k, c in enumerate(c for c in papers.values() if c.submitted_at is not None):
        db.session.execute(update(Convention.__table__)
                           .where(Convention.__table__.c.id == c.id)
                           .values(submitted_at=ago(16) + timedelta(hours=5 * k)))
    db.session.commit()
    will_validate = ("signed", "signed_offer", "amended", "signing_half", "signing",
                     "validated", "cancelled")
    with at(ago(12)):
        for role, student in beyond_draft:
            if role in will_validate or role in ("submitted_checked", "changes"):
                c = papers[student.id]
                conventions.approve(c, c.academic_tutor, c.version_id)
    with at(ago(9)):
        for role, student in beyond_draft:
            c = papers[student.id]
            if role in will_validate:
                tick_all(cast, c)
                conventions.validate(c, cast.secretariat, c.version_id, ago(9).date())
            elif role == "submitted_checked":
                tick_all(cast, c, list(MANUAL_ITEMS)[:6])
    with at(ago(8)):
        for k, (_, student) in enumerate(r for r in beyond_draft if r[0] == "changes"):
            c = papers[student.id]
            conventions.request_changes(c, cast.secretariat, CHANGES[k % 2], c.version_id)
    with at(ago(6)):
        for role, student in beyond_draft:
            c = papers[student.id]
            if role in ("signed", "signed_offer", "amended", "signing"):
                conventions.send_for_signature(c, cast.secretariat, c.version_id)
            if role in ("signed", "signed_offer", "amended"):
                sign_all(cast, c, ago(6).date())
            elif role == "signing_half":
                sign_all(cast, c, ago(6).date(), ["student", "host"])
    with at(ago(4)):
        for role, student in beyond_draft:
            c = papers[student.id]
            if role == "cancelled":
                conventions.cancel(c, cast.secretariat,
                                   "L’organisme a gelé le poste faute de budget (courriel du "
                                   "service du personnel).", c.version_id, ago(4).date())
    with at(ago(2)):
        for role, student in beyond_draft:
            c = papers[student.id]
            if role == "amended":
                i = c.internship
                amendments.amend(
                    c, cast.secretariat, "dates",
                    "Prolongation de deux semaines à la demande de l’organisme, pour achever "
                    "le récolement.", {"end_date": (i.end_date + timedelta(days=14)).isoformat()},
                    c.version_id, ago(2).date())
    with at(ago(1)):
        # the student whose convention was cancelled has found another internship
        for n, (role, student) in enumerate(cast_of):
            if role == "cancelled":
                start = weekday_on_or_after(year.earliest_start, 0) + timedelta(days=21)
                internship, _ = internships.create_internship(
                    student, internship_data(cast, next(host_of), start, 12, n + 1))
                prepare_convention(cast, internship, student)
        # a draft defence schedule for September: three days, the proposal not published
        first_day = weekday_on_or_after(date(year.start_year + 1, 9, 7), 1)
        if not defenses.sessions(year):
            for k in range(3):
                defenses.add_session(cast.secretariat, year, first_day + timedelta(days=k),
                                     "B204", time(9, 0), time(17, 0), 45)
            defenses.propose(cast.secretariat, year)
    return len(papers)
