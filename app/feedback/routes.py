from __future__ import annotations

from datetime import date

from flask import abort, flash, request, url_for
from flask_login import current_user, login_required

from app.accounts.models import STAFF
from app.feedback import bp, services
from app.feedback.forms import (
    DebriefForm,
    FeedbackForm,
    HostProposalForm,
    PracticeFilterForm,
    PracticeForm,
)
from app.hosts.services import host_choices
from app.internships import services as internships
from app.offers.services import domains
from app.web.access import roles_required
from app.web.actions import action
from app.web.forms import int_or_none
from app.web.htmx import redirect_to
from app.web.pagination import paginate
from app.web.picker import fill
from app.web.render import render

MODERATORS = STAFF  # who moderates what students share


@bp.get("/")
@login_required
def index():
    today = date.today()
    context = {}
    if current_user.is_student:
        ended = services.ended_internships(current_user, today)
        context["ended"] = [(i, services.feedback_of(i), services.debrief_of(i)) for i in ended]
    if current_user.role in MODERATORS:
        context["counts"] = services.pending_counts()
    return render("feedback/index.html", **context)


def _own_ended(internship_id: int):
    internship = internships.get(internship_id)
    if internship is None or internship.student_id != current_user.id:
        abort(404)
    return internship


@bp.route("/stage/<int:internship_id>", methods=["GET", "POST"])
@roles_required("student")
def write(internship_id: int):
    internship = _own_ended(internship_id)
    feedback = services.feedback_of(internship)
    form = FeedbackForm(obj=feedback)
    if request.method == "GET" and feedback:
        form.version.data = str(feedback.version_id)
    if form.validate_on_submit():
        with action(form) as act:
            services.save_feedback(current_user, internship, form.data, date.today(),
                                   int_or_none(form.version.data))
        if act.ok:
            flash("Retour envoyé : l’équipe le relit avant de le publier.", "success")
            return redirect_to(url_for("feedback.index"))
    return render("feedback/write.html", form=form, internship=internship, feedback=feedback)


@bp.get("/bonnes-pratiques")
@login_required
def practices():
    filters = PracticeFilterForm(request.args, id_prefix="gp")
    page = paginate(services.practices_query(filters.value("q"), filters.value("domain")))
    return render("feedback/practices.html", block="results", page=page, filters=filters,
                  domains=domains())


@bp.route("/bonnes-pratiques/proposer", methods=["GET", "POST"])
@roles_required("student")
def propose_practice():
    form = PracticeForm()
    form.domain.choices = list(domains().items())
    fill(form.host_id, host_choices, "—")
    if form.validate_on_submit():
        with action(form) as act:
            services.propose_practice(current_user, form.data, domains())
        if act.ok:
            flash("Bonne pratique proposée : un·e enseignant·e la relit avant de la publier.",
                  "success")
            return redirect_to(url_for("feedback.index"))
    return render("feedback/propose.html", form=form, title="Proposer une bonne pratique")


@bp.route("/organismes/proposer", methods=["GET", "POST"])
@roles_required("student")
def propose_host():
    form = HostProposalForm()
    if form.validate_on_submit():
        with action(form) as act:
            services.propose_host(current_user, form.data)
        if act.ok:
            flash("Organisme proposé : l’équipe le vérifie avant de l’ajouter à l’annuaire.",
                  "success")
            return redirect_to(url_for("feedback.index"))
    return render("feedback/propose.html", form=form, title="Proposer un organisme")


@bp.get("/moderation")
@roles_required(*MODERATORS)
def moderation():
    from app.rules.abroad import TIP_KINDS

    return render("feedback/moderation.html", pending=services.pending(), tip_kinds=TIP_KINDS)


@bp.post("/moderation/<kind>/<int:item_id>")
@roles_required(*MODERATORS)
def moderate(kind: str, item_id: int):
    if kind not in services.KINDS:
        abort(404)
    with action(inline=False) as act:
        services.moderate(current_user, kind, item_id, request.form.get("decision") == "publish",
                          request.form.get("comment"), url_for("feedback.index"))
    if act.ok:
        flash("Décision enregistrée ; l’auteur·rice est prévenu·e.", "success")
    return redirect_to(url_for("feedback.moderation"))


@bp.route("/debrief/<int:internship_id>", methods=["GET", "POST"])
@login_required
def debrief(internship_id: int):
    internship = internships.get(internship_id)
    if internship is None:
        abort(404)
    existing = services.debrief_of(internship)
    if current_user.id != internship.student_id:
        if existing is None or not services.can_read_debrief(current_user, existing):
            abort(404)
        return render("feedback/debrief.html", debrief=existing, internship=internship,
                      form=None)
    form = DebriefForm(obj=existing)
    if form.validate_on_submit():
        with action(form) as act:
            services.save_debrief(current_user, internship, form.data)
        if act.ok:
            flash("Débrief enregistré. Il reste privé" + (", sauf pour votre enseignant·e "
                  "référent·e." if form.shared_with_tutor.data else "."), "success")
            return redirect_to(url_for("feedback.debrief", internship_id=internship_id))
    return render("feedback/debrief.html", debrief=existing, internship=internship, form=form)

