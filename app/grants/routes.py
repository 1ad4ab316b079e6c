from __future__ import annotations

from datetime import date

from flask import abort, flash, request, url_for
from flask_login import current_user, login_required

from app.accounts.models import MANAGERS
from app.extensions import db
from app.grants import bp, services
from app.grants.forms import (
    ApplicationFilterForm,
    ApplyForm,
    DecisionForm,
    PaidForm,
    ProgrammeForm,
)
from app.grants.models import GrantPayment
from app.web.access import roles_required
from app.web.actions import action
from app.web.exports import export_response
from app.web.forms import int_or_none
from app.web.htmx import redirect_to
from app.web.pagination import paginate
from app.web.render import render
from app.web.years import selected_year


@bp.get("/")
@login_required
def index():
    """A student: the programmes open to their internship abroad and their applications. The
    secretariat: one year's programmes and applications."""
    today = date.today()
    if current_user.is_student:
        internship = services.latest_internship(current_user)
        offers = (services.offers_for(internship, today)
                  if internship is not None and internship.is_abroad else [])
        return render("grants/student.html", internship=internship, offers=offers,
                      today=today)
    if not current_user.is_manager:
        abort(403)
    choice = selected_year()
    filters = ApplicationFilterForm(request.args, id_prefix="grant")
    state = filters.value("status")
    page = paginate(services.applications_query(choice.year, state or None), work_list=True)
    return render("grants/index.html", block="results", choice=choice,
                  programmes=services.programmes(choice.year), page=page, state=state,
                  filters=filters)


def _programme_data(form: ProgrammeForm) -> services.ProgrammeData:
    return services.ProgrammeData(
        name=form.name.data, funder=form.funder.data, deadline=form.deadline.data,
        first_part_percent=form.first_part_percent.data, max_months=form.max_months.data,
        description=form.description.data,
        rates=[services.RateData(r.group.data, r.countries.data, r.monthly.data)
               for r in form.rates])


@bp.route("/programmes/nouveau", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new_programme():
    choice = selected_year()
    form = ProgrammeForm()
    if request.method == "GET":
        form.rates[0].group.data = "Tous pays"
    if form.validate_on_submit():
        with action(form) as act:
            services.save_programme(choice.year, _programme_data(form))
        if act.ok:
            flash(f"Programme « {form.name.data} » ajouté pour {choice.year.label}.",
                  "success")
            return redirect_to(url_for("grants.index", year=choice.year.start_year))
    return render("grants/programme_form.html", form=form, programme=None,
                  year=choice.year)


@bp.route("/programmes/<int:programme_id>/modifier", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_programme(programme_id: int):
    programme = services.get_programme(programme_id) or abort(404)
    form = ProgrammeForm(obj=programme)
    if request.method == "GET":
        form.version.data = str(programme.version_id)
        for row, rate in zip(form.rates, programme.rates, strict=False):
            row.group.data, row.countries.data = rate.group_name, rate.countries
            row.monthly.data = f"{rate.monthly_amount:.2f}".replace(".", ",")
    if form.validate_on_submit():
        with action(form) as act:
            services.save_programme(programme.academic_year, _programme_data(form), programme,
                                    int_or_none(form.version.data))
        if act.ok:
            flash(f"Programme « {programme.name} » mis à jour.", "success")
            return redirect_to(url_for("grants.index",
                                       year=programme.academic_year.start_year))
    return render("grants/programme_form.html", form=form, programme=programme,
                  year=programme.academic_year)


@bp.route("/programmes/<int:programme_id>/demander", methods=["GET", "POST"])
@roles_required("student")
def apply(programme_id: int):
    programme = services.get_programme(programme_id) or abort(404)
    internship = services.latest_internship(current_user)
    if internship is None or internship.academic_year_id != programme.academic_year_id:
        abort(404)
    today = date.today()
    [offer] = [o for o in services.offers_for(internship, today)
               if o.programme.id == programme.id]
    form = ApplyForm()
    if form.validate_on_submit():
        with action(form) as act:
            application = services.apply(current_user, internship, programme,
                                         form.motivation.data, today)
        if act.ok:
            flash("Demande envoyée : le secrétariat vous répondra ici.", "success")
            return redirect_to(url_for("grants.show", application_id=application.id))
    return render("grants/apply.html", form=form, offer=offer, internship=internship)


def _application(application_id: int):
    application = services.get(application_id)
    if application is None or not services.can_view(current_user, application):
        abort(404)
    return application


def _decision_form(application, formdata=None) -> DecisionForm:
    form = DecisionForm(formdata=formdata)
    if formdata is None:
        form.version.data = str(application.version_id)
        form.amount.data = f"{application.requested_amount:.2f}".replace(".", ",")
        for row, part in zip(form.payments, services.default_payments(application),
                             strict=False):
            row.what.data, row.due_on.data = part.label, part.due_on
            row.amount.data = f"{part.amount:.2f}".replace(".", ",")
    return form


def _show(application, form=None, status=200):
    managing = current_user.is_manager
    if form is None and managing and application.status == "submitted":
        form = _decision_form(application)
    return render("grants/show.html", a=application, i=application.internship, form=form,
                  managing=managing, paid_form=PaidForm(formdata=None), status=status)


@bp.get("/demandes/<int:application_id>")
@login_required
def show(application_id: int):
    return _show(_application(application_id))


@bp.post("/demandes/<int:application_id>/decision")
@roles_required(*MANAGERS)
def decide(application_id: int):
    application = _application(application_id)
    form = _decision_form(application, request.form)
    if form.validate_on_submit():
        with action(form) as act:
            services.decide(current_user, application, form.decision.data == "grant",
                            form.amount.data,
                            [services.PaymentData(r.what.data, r.due_on.data, r.amount.data)
                             for r in form.payments],
                            form.comment.data, int_or_none(form.version.data))
        if act.ok:
            flash("Décision enregistrée : l’étudiant·e est prévenu·e.", "success")
            return redirect_to(url_for("grants.show", application_id=application.id))
    return _show(application, form, status=422 if request.headers.get("HX-Request") else 200)


@bp.post("/demandes/<int:application_id>/retirer")
@roles_required("student")
def withdraw(application_id: int):
    application = _application(application_id)
    with action(inline=False) as act:
        services.withdraw(current_user, application)
    if act.ok:
        flash("Demande retirée.", "success")
    return redirect_to(url_for("grants.show", application_id=application.id))


@bp.post("/versements/<int:payment_id>")
@roles_required(*MANAGERS)
def paid(payment_id: int):
    payment = db.session.get(GrantPayment, payment_id) or abort(404)
    form = PaidForm()
    if form.validate_on_submit():
        with action(inline=False) as act:
            services.record_paid(current_user, payment, form.paid_on.data, date.today())
        if act.ok:
            flash("Versement enregistré." if form.paid_on.data else "Versement remis à verser.",
                  "success")
    else:
        flash("Date de versement invalide.", "error")
    return redirect_to(url_for("grants.show", application_id=payment.application_id))


@bp.get("/export.<fmt>")
@roles_required(*MANAGERS)
def export(fmt: str):
    choice = selected_year()
    return export_response(fmt, f"bourses-{choice.year.label}", services.EXPORT_HEADERS,
                           services.export_rows(choice.year))
