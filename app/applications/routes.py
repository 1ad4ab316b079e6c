from __future__ import annotations

from dataclasses import asdict
from datetime import date

from flask import abort, flash, request, url_for
from flask_login import current_user, login_required

from app.applications import bp, services
from app.applications.forms import ApplicationFilterForm, ApplyForm
from app.applications.models import STATUSES
from app.exports.views import export_or_background
from app.extensions import db
from app.files import services as files
from app.offers.services import offer_for_viewer
from app.web.access import roles_required, staff_required
from app.web.actions import action
from app.web.forms import int_or_none
from app.web.htmx import local_path, redirect_to, wants_fragment
from app.web.pagination import SEARCH_CAP, paginate
from app.web.render import render


def _application_or_404(application_id: int):
    application = services.get(application_id)
    if application is None or not services.can_view(current_user, application):
        abort(404)
    return application


@bp.route("/offres/<int:offer_id>/candidater", methods=["GET", "POST"])
@roles_required("student")
def apply(offer_id: int):
    offer = offer_for_viewer(offer_id, staff=False) or abort(404)
    today = date.today()
    reason = services.refusal(current_user, offer, today)
    form = ApplyForm()
    if reason is None and form.validate_on_submit():
        raw = files.read_upload(form.cv.data)
        with action(form) as act:
            application = services.apply(current_user, offer, form.message.data, raw,
                                         form.cv.data.filename, today)
        if act.ok:
            flash("Candidature envoyée. Vous suivrez sa réponse dans « Mes candidatures ».",
                  "success")
            return redirect_to(url_for("applications.show", application_id=application.id))
    elif reason and request.method == "POST":
        form.form_errors.append(reason)
    return render("applications/apply.html", offer=offer, form=form, reason=reason)


@bp.get("/candidatures")
@login_required
def index():
    if current_user.is_student:
        applications = services.of_student(current_user)
        return render("applications/mine.html", applications=applications,
                      open_statuses=("sent", "interview"))
    if not current_user.is_staff:
        abort(403)
    form = _filters()
    filters = _staff_filters(form)
    page = paginate(services.staff_query(filters), cap=SEARCH_CAP if filters.q else None)
    return render("applications/index.html", block="results", page=page, filters=form,
                  counts=services.counts(filters), statuses=STATUSES)


def _filters() -> ApplicationFilterForm:
    return ApplicationFilterForm(request.args, id_prefix="app")


def _staff_filters(form: ApplicationFilterForm) -> services.StaffFilters:
    return services.StaffFilters(q=form.value("q"), status=form.value("status"),
                                 offer_id=form.value("offer"), student_id=form.value("student"))


@bp.route("/candidatures/export.<fmt>", methods=["GET", "POST"])
@staff_required
def export(fmt: str):
    filters = _staff_filters(_filters())
    return export_or_background(fmt, "applications", "candidatures", asdict(filters),
                                services.staff_query(filters))


def export_rows(params: dict):
    """The staff's list of applications as a file (at once, or by the background export)."""
    rows = ((a.created_at.date(), a.student.last_name, a.student.first_name,
             a.student.group_name, a.offer.title, a.offer.host.name, a.status_label)
            for a in db.session.execute(services.staff_query(services.StaffFilters(**params)))
            .unique().scalars())
    return ["Date", "Nom", "Prénom", "Groupe", "Offre", "Organisme", "Statut"], rows, 0


@bp.get("/candidatures/<int:application_id>")
@login_required
def show(application_id: int):
    application = _application_or_404(application_id)
    return render("applications/show.html", a=application,
                  can_read_file=services.can_read_file(current_user, application),
                  others=services.other_open(application)
                  if application.status == "accepted" else [])


@bp.get("/candidatures/<int:application_id>/cv")
@login_required
def cv(application_id: int):
    application = _application_or_404(application_id)
    if not services.can_read_file(current_user, application):
        abort(404)  # need to know: a teacher who neither tutors the student nor sits on the jury
    return files.download(application.cv)


@bp.post("/candidatures/<int:application_id>/retirer")
@roles_required("student")
def withdraw(application_id: int):
    application = _application_or_404(application_id)
    with action(inline=False) as act:
        services.withdraw(current_user, application, int_or_none(request.form.get("version")))
    if act.ok:
        flash(f"Candidature à « {application.offer.title} » retirée.", "success")
    back = local_path(request.form.get("back"))
    return redirect_to(back if back and back.startswith("/candidatures")
                       else url_for("applications.index"))


@bp.post("/candidatures/<int:application_id>/statut")
@staff_required
def set_status(application_id: int):
    application = _application_or_404(application_id)
    internship = None
    with action() as act:
        _, internship = services.change_status(
            current_user, application, request.form.get("status", ""),
            request.form.get("comment"), int_or_none(request.form.get("version")), date.today())
    application = services.get(application_id)
    if not wants_fragment():
        if act.ok:
            flash(f"Candidature : {application.status_label.lower()}.", "success")
            if internship is not None:
                flash("La fiche de stage de l’étudiant·e a été ouverte à partir de l’offre.",
                      "info")
        return redirect_to(local_path(request.form.get("back"))
                           or url_for("applications.show", application_id=application_id))
    scope = services.StaffFilters(offer_id=int_or_none(request.form.get("scope_offer")))
    return render("applications/index.html", block="status_change", a=application,
                  row_error=act.error, counts=services.counts(scope), statuses=STATUSES,
                  started_internship=internship)
