from __future__ import annotations

from datetime import date

from flask import abort, flash, request, url_for
from flask_login import current_user, login_required

from app.accounts.models import MANAGERS
from app.evaluations import bp, services
from app.evaluations.models import KINDS, RATINGS
from app.extensions import limiter
from app.plurals import count_text
from app.web.access import roles_required
from app.web.actions import action
from app.web.forms import int_or_none
from app.web.htmx import redirect_to
from app.web.render import render
from app.web.years import selected_year


@bp.get("/")
@login_required
def index():
    """Staff and tutors see one year's evaluations (``year`` in the address, else the year
    whose defences and evaluations are not over); a student sees all of theirs."""
    if current_user.is_student:
        rows, choice = services.status_rows(current_user), None
    else:
        from app.defenses.services import year_work

        choice = selected_year(year_work)
        rows = services.status_rows(current_user, choice.year)
    return render("evaluations/index.html", rows=rows, kinds=KINDS, choice=choice,
                  may=services.readers(current_user, rows))


@bp.post("/ouvrir")
@roles_required(*MANAGERS)
def open_ended():
    n = services.open_all_ended(date.today())
    flash(count_text("%(num)d évaluation ouverte ; les tuteurs des organismes ont reçu leur lien.",
                     "%(num)d évaluations ouvertes ; les tuteurs des organismes ont reçu leur "
                     "lien.", n) if n else "Aucune nouvelle évaluation à ouvrir.", "success")
    year = int_or_none(request.form.get("year"))
    return redirect_to(url_for("evaluations.index", year=year))


def _form_page(evaluation, error=None, field=None, status=200, public=False, token=None):
    answering = public or services.can_answer(current_user, evaluation)
    return render("evaluations/form.html", e=evaluation, i=evaluation.internship,
                  questions=services.QUESTIONS[evaluation.kind], ratings=RATINGS, error=error,
                  error_field=field, values=request.form if request.method == "POST" else {},
                  public=public, token=token, status=status, answering=answering,
                  combined=not public and services.can_read_attainment(
                      current_user, evaluation.internship))


@bp.route("/<int:evaluation_id>", methods=["GET", "POST"])
@login_required
def answer(evaluation_id: int):
    evaluation = services.get(evaluation_id)
    if evaluation is None or not services.can_view(current_user, evaluation):
        abort(404)
    if request.method == "POST":
        if not services.answers_it(current_user, evaluation):
            abort(403)
        with action(inline=True) as act:
            services.submit(evaluation, request.form, date.today())
        if isinstance(act.failure, services.AlreadyAnswered):  # sent before or meanwhile
            flash(act.error, "error")
            return redirect_to(url_for("evaluations.index"))
        if not act.ok:   # the evaluation's own form shows it, by its field
            return _form_page(evaluation, act.error, act.failure.field)
        flash("Évaluation envoyée : merci.", "success")
        return redirect_to(url_for("evaluations.index"))
    return _form_page(evaluation)


@bp.route("/lien/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def by_link(token: str):
    try:
        evaluation = services.evaluation_for_token(token)
    except services.LinkRefused as err:
        return render("evaluations/refused.html", message=err.message, status=410)
    if request.method == "POST":
        with action(inline=True) as act:
            services.submit(evaluation, request.form, date.today())
        if isinstance(act.failure, services.AlreadyAnswered):  # the link sent twice at once
            return render("evaluations/refused.html", message=services.ALREADY_SENT,
                          status=409)
        if not act.ok:
            return _form_page(evaluation, act.error, act.failure.field, public=True,
                              token=token)
        return render("evaluations/thanks.html")
    return _form_page(evaluation, public=True, token=token)


@bp.get("/stage/<int:internship_id>/objectifs")
@login_required
def objectives(internship_id: int):
    """Each objective's attainment on one page: the student's self-assessment, the host's and
    the tutor's ratings, from the closed evaluations."""
    from app.internships import services as internships

    internship = internships.get(internship_id)
    if internship is None or not services.can_read_attainment(current_user, internship):
        abort(404)
    rows, closed = services.attainment(internship)
    return render("evaluations/objectives.html", i=internship, rows=rows, closed=closed,
                  kinds=services.ATTAINMENT_KINDS)
