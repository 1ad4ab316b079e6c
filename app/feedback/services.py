"""Feedback, good practices, host proposals and debriefs. Nothing a student writes reaches
other students before staff publish it; a debrief reaches nobody but its author and, if
shared, the academic tutor."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from app import links
from app.accounts.models import STAFF, User, utcnow
from app.errors import DomainError
from app.extensions import db
from app.feedback.models import CountryTip, Debrief, Feedback, GoodPractice, HostProposal
from app.internships.models import Internship
from app.search import matching
from app.versioning import check_version, commit_versioned

MAX_TEXT = 5000
MODERATORS = STAFF  # who moderates what students share


def _text(value: str | None, field: str, label: str, required: bool = False) -> str | None:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("%(label)s : ce champ est obligatoire.", label=label), field)
    if len(value) > MAX_TEXT:
        raise DomainError(_("%(label)s : %(text)s caractères au plus.",
                          label=label, text=MAX_TEXT), field)
    return value or None


def ended_internships(student: User, today: date) -> list[Internship]:
    return list(db.session.execute(
        select(Internship).options(joinedload(Internship.host))
        .where(Internship.student_id == student.id, Internship.end_date < today,
               Internship.status != "cancelled").order_by(Internship.end_date.desc())).scalars())


# ---------------------------------------------------------------- feedback

def feedback_of(internship: Internship) -> Feedback | None:
    return db.session.execute(select(Feedback).where(
        Feedback.internship_id == internship.id)).scalar_one_or_none()


def save_feedback(student: User, internship: Internship, data: dict, today: date,
                  version: int | None = None) -> Feedback:
    if internship.student_id != student.id:
        raise DomainError(_("Ce stage n’est pas le vôtre."))
    if internship.status == "cancelled" or internship.end_date >= today:
        raise DomainError(_("Vous pourrez écrire votre retour une fois le stage terminé."))
    feedback = feedback_of(internship)
    if feedback is None:
        feedback = Feedback(internship_id=internship.id, student_id=student.id,
                            host_id=internship.host_id, status="pending")
        db.session.add(feedback)
    else:
        if feedback.status == "published":
            raise DomainError(_("Votre retour est publié : il ne se modifie plus."))
        check_version(feedback, version, _("ce retour"))
        feedback.status = "pending"
    feedback.about_host = _text(data.get("about_host"), "about_host",
                                "Sur l’organisme", required=True)
    feedback.about_place = _text(data.get("about_place"), "about_place", "Sur la ville ou le pays")
    feedback.pitfalls = _text(data.get("pitfalls"), "pitfalls", "Pièges à éviter")
    feedback.contact_ok = bool(data.get("contact_ok"))
    commit_versioned(_("ce retour"))
    return feedback


def published_for_host(host_id: int) -> list[Feedback]:
    return list(db.session.execute(
        select(Feedback).options(joinedload(Feedback.student))
        .where(Feedback.host_id == host_id, Feedback.status == "published")
        .order_by(Feedback.moderated_at.desc())).scalars())


# ---------------------------------------------------------------- good practices, hosts

def propose_practice(author: User, data: dict, domains: dict[str, str]) -> GoodPractice:
    from app.hosts.models import Host

    title = _text(data.get("title"), "title", "Titre", required=True)
    if len(title) > 200:
        raise DomainError(_("Titre : 200 caractères au plus."), "title")
    if data.get("domain") not in domains:
        raise DomainError(_("Choisissez le domaine."), "domain")
    host_id = data.get("host_id") or None
    if host_id and db.session.get(Host, host_id) is None:
        raise DomainError(_("Organisme inconnu."), "host_id")
    practice = GoodPractice(author_id=author.id, title=title, domain=data["domain"],
                            context=_text(data.get("context"), "context", "Contexte"),
                            description=_text(data.get("description"), "description",
                                              "Description", required=True),
                            host_id=host_id, status="pending")
    db.session.add(practice)
    db.session.commit()
    return practice


def propose_host(author: User, data: dict) -> HostProposal:
    name = _text(data.get("name"), "name", "Nom", required=True)
    city = _text(data.get("city"), "city", "Ville", required=True)
    if len(name) > 200 or len(city) > 120:
        raise DomainError(_("Le nom ou la ville est trop long."), "name")
    proposal = HostProposal(author_id=author.id, name=name, city=city,
                            country=(data.get("country") or "France").strip()[:80] or "France",
                            why=_text(data.get("why"), "why", "Pourquoi le recommander",
                                      required=True), status="pending")
    db.session.add(proposal)
    db.session.commit()
    return proposal


def practices_query(q: str | None, domain: str | None):
    stmt = (select(GoodPractice).options(joinedload(GoodPractice.host))
            .where(GoodPractice.status == "published"))
    clause = matching(q, GoodPractice.search_text)
    if clause is not None:
        stmt = stmt.where(clause)
    if domain:
        stmt = stmt.where(GoodPractice.domain == domain)
    return stmt.order_by(GoodPractice.moderated_at.desc(), GoodPractice.id.desc())


# ---------------------------------------------------------------- moderation

KINDS = {"retour": Feedback, "pratique": GoodPractice, "organisme": HostProposal,
         "conseil": CountryTip}  # the country guides' tips (app.abroad)


def pending() -> dict[str, list]:
    return {kind: list(db.session.execute(
        select(model).where(model.status == "pending").order_by(model.created_at)).scalars())
        for kind, model in KINDS.items()}


def pending_counts() -> dict[str, int]:
    return {kind: db.session.execute(select(func.count(model.id)).where(
        model.status == "pending")).scalar_one() for kind, model in KINDS.items()}


ALREADY_DECIDED = {"retour": "Ce retour a déjà été traité",
                   "pratique": "Cette bonne pratique a déjà été traitée",
                   "organisme": "Cette proposition a déjà été traitée",
                   "conseil": "Cette contribution a déjà été traitée"}
WHAT = {"retour": "retour d’expérience", "pratique": "bonne pratique",
        "organisme": "proposition d’organisme",
        "conseil": "contribution au guide du pays"}  # « retour » is masculine, the others feminine


def moderate(actor: User, kind: str, item_id: int, publish: bool, comment: str | None,
             link: str | None = None):
    """Publish or refuse one pending item, once: the decision is a conditional UPDATE
    (``status = 'pending'``), so of two moderators deciding at the same instant the second
    finds it decided and changes nothing (no second host for a proposal). The decision, the
    host it creates and the author's notification commit together. ``link``: the page the
    notification points to."""
    from app.hosts import services as hosts
    from app.notifications.services import notify

    if actor.role not in MODERATORS:
        raise DomainError(_("La modération est faite par l’équipe pédagogique."))
    model = KINDS.get(kind)
    item = db.session.get(model, item_id) if model else None
    if item is None:
        raise DomainError(_("Cet élément n’existe plus."))
    if item.status != "pending":
        raise DomainError(_("%(decided)s (statut : %(status)s).",
                          decided=ALREADY_DECIDED[kind], status=item.status_label.lower()))
    comment = (comment or "").strip()[:2000] or None
    if not publish and not comment:
        raise DomainError(_("Dites pourquoi, l’auteur·rice le verra."), "comment")
    values = dict(status="published" if publish else "rejected", moderation_comment=comment,
                  moderated_at=utcnow(), moderator_id=actor.id)
    if model is Feedback:  # a versioned record: the student's open form becomes stale
        values["version_id"] = Feedback.version_id + 1
    decided = db.session.execute(
        update(model).where(model.id == item.id, model.status == "pending").values(**values)
        .execution_options(synchronize_session="fetch"))
    if decided.rowcount != 1:  # someone else decided it since it was read
        db.session.rollback()
        raise DomainError(_("%(decided)s par quelqu’un d’autre : rien n’a été changé.",
                          decided=ALREADY_DECIDED[kind]))
    if publish and kind == "organisme":
        host = hosts.create_host(hosts.HostData(name=item.name, city=item.city,
                                                country=item.country), commit=False)
        item.host_id = host.id
    author_id = item.student_id if kind == "retour" else item.author_id
    verdict = ("publié" if publish else "refusé") + ("" if kind == "retour" else "e")
    what = (f"La bonne pratique tirée de la réponse « un an après » de votre tuteur·rice "
            f"d’organisme est {verdict}" if getattr(item, "host_tutor_wrote_it", False)
            else f"Votre {WHAT[kind]} est {verdict}")
    notify([db.session.get(User, author_id)], what + (f" : {comment}" if comment else "."),
           link)
    db.session.commit()
    return item


# ---------------------------------------------------------------- debrief

def debrief_of(internship: Internship) -> Debrief | None:
    return db.session.execute(select(Debrief).where(
        Debrief.internship_id == internship.id)).scalar_one_or_none()


def save_debrief(student: User, internship: Internship, data: dict) -> Debrief:
    if internship.student_id != student.id:
        raise DomainError(_("Ce stage n’est pas le vôtre."))
    debrief = debrief_of(internship) or Debrief(internship_id=internship.id,
                                                student_id=student.id)
    db.session.add(debrief)
    for field, label in (("my_side", "De mon côté"), ("host_side", "Du côté de l’organisme"),
                         ("lesson_1", "Leçon 1"), ("lesson_2", "Leçon 2"),
                         ("lesson_3", "Leçon 3"), ("interview_sentence", "En entretien")):
        setattr(debrief, field, _text(data.get(field), field, label))
    was_shared = bool(debrief.shared_with_tutor)
    debrief.shared_with_tutor = bool(data.get("shared_with_tutor"))
    if debrief.shared_with_tutor and not was_shared:
        _tell_tutor_of_debrief(student, internship)
    db.session.commit()
    return debrief


def _tell_tutor_of_debrief(student: User, internship: Internship) -> None:
    """The student has just shared their debrief: their current tutor of the internship's
    year, the one ``can_read_debrief`` lets read it, gets a notification with its link (in
    the saving's transaction). Without a tutor nobody is told; sharing it again after
    unsharing tells again, saving it while shared does not."""
    from app.notifications.services import notify
    from app.tutoring.services import tutor_of

    notify([tutor_of(student, internship.academic_year)],
           f"{student.full_name} vous a partagé son débrief de stage ({internship.host.name}).",
           links.path("feedback.debrief", internship_id=internship.id),
           email_subject=f"Débrief de stage partagé par {student.full_name}")


def can_read_debrief(user: User, debrief: Debrief) -> bool:
    from app.tutoring.services import tutor_of

    if user.id == debrief.student_id:
        return True
    if not debrief.shared_with_tutor:
        return False
    i = debrief.internship
    tutor = tutor_of(i.student, i.academic_year)
    return tutor is not None and tutor.id == user.id
