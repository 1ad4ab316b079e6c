from __future__ import annotations

from datetime import date

from flask import abort, flash, url_for
from flask_login import current_user, login_required

from app.budget import bp, services
from app.budget.forms import LineForm, ShareForm
from app.internships import services as internships
from app.rules.budget import CATEGORIES
from app.rules.charts import balance_chart
from app.rules.formatting import month_text
from app.web.access import roles_required
from app.web.actions import action
from app.web.formatting import money
from app.web.htmx import redirect_to, wants_fragment
from app.web.render import render


def _internship(internship_id: int, edit: bool = False):
    internship = internships.get(internship_id)
    allowed = services.can_edit if edit else services.can_view
    if internship is None or not allowed(current_user, internship):
        abort(404)
    return internship


def _page(internship, form=None, status=200, error=None):
    today = date.today()
    plan = services.view(internship, today)
    months = [m.month for m in plan.months if not m.before]
    if form is None:
        form = LineForm(formdata=None)
    form.timing.choices = [("", "— Choisir —"),
                           *services.timings(internship, months).items()]
    chart = balance_chart("Revenus, dépenses et solde, mois par mois", [
        ("Avant le départ" if m.before else month_text(m.month).capitalize(),
         m.income_total, m.costs_total, m.running) for m in plan.months], fmt=money)
    return render("budget/show.html", block="budget" if wants_fragment() else None,
                  i=internship, plan=plan, form=form, chart=chart, status=status, error=error,
                  editing=services.can_edit(current_user, internship),
                  share_form=ShareForm(formdata=None, shared=plan.shared),
                  categories=CATEGORIES, timings=services.timings(internship, months))


@bp.get("/<int:internship_id>")
@login_required
def show(internship_id: int):
    return _page(_internship(internship_id))


@bp.post("/<int:internship_id>/lignes")
@roles_required("student")
def add_line(internship_id: int):
    internship = _internship(internship_id, edit=True)
    form = LineForm()
    months = [m for m, _ in services.view(internship, date.today()).gratification]
    form.timing.choices = list(services.timings(internship, months).items())
    if form.validate_on_submit():
        with action(form) as act:
            services.add_line(current_user, internship, form.data, months)
        if act.ok:
            if not wants_fragment():
                flash("Dépense ajoutée au budget.", "success")
                return redirect_to(url_for("budget.show", internship_id=internship_id))
            form = None
    return _page(internship, form)


@bp.post("/<int:internship_id>/lignes/<int:line_id>/supprimer")
@roles_required("student")
def remove_line(internship_id: int, line_id: int):
    internship = _internship(internship_id, edit=True)
    with action() as act:
        services.remove_line(current_user, internship, line_id)
    if not wants_fragment():
        return redirect_to(url_for("budget.show", internship_id=internship_id))
    return _page(internship, error=act.error)  # the message in the fragment, never lost


@bp.post("/<int:internship_id>/partage")
@roles_required("student")
def share(internship_id: int):
    internship = _internship(internship_id, edit=True)
    form = ShareForm()
    if form.validate_on_submit():
        services.share(current_user, internship, bool(form.shared.data))
        flash("Budget partagé avec votre enseignant·e référent·e." if form.shared.data
              else "Budget de nouveau privé.", "success")
    return redirect_to(url_for("budget.show", internship_id=internship_id))
