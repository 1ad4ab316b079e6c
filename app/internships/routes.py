from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from app.accounts.models import MANAGERS, User
from app.errors import DomainError
from app.extensions import db
from app.hosts.services import host_choices
from app.internships import bp, services
from app.internships.forms import AbsenceForm, InternshipForm, PaidForm
from app.internships.models import Internship
from app.rules.calendar import WEEKDAY_CODES, parse_days
from app.web.access import roles_required
from app.web.actions import action, flash_errors
from app.web.forms import int_or_none
from app.web.htmx import redirect_to, wants_fragment
from app.web.picker import fill
from app.web.render import render

WRITERS = ("student", "secretariat", "admin")


def _internship_or_404(internship_id: int) -> Internship:
    internship = services.get(internship_id)
    if internship is None or not services.can_view(current_user, internship):
        abort(404)  # a student guessing another's id learns nothing
    return internship


def _form(internship: Internship | None = None, choose_student: bool = False) -> InternshipForm:
    form = InternshipForm(obj=internship, choose_student=choose_student)
    _fill_pickers(form)
    if internship is None:
        return form
    if request.method == "GET":
        form.work_days.data = [WEEKDAY_CODES[d] for d in sorted(parse_days(internship.work_days))]
        form.version.data = str(internship.version_id)
    if request.method == "GET" or "objectives" not in request.form:
        # The internship holds its objectives as rows; the form, as one statement a line (a
        # POST without the field keeps them, like any field it does not send).
        form.objectives.data = "\n".join(o.statement for o in internship.objectives)
    return form


def _fill_pickers(form: InternshipForm) -> None:
    from app.offers.services import domains

    fill(form.host_id, host_choices)
    form.domain.choices = [("", "— Choisir —"), *domains().items()]
    if form.student_id:
        fill(form.student_id, services.student_choices)


def _data(form: InternshipForm) -> services.InternshipData:
    return services.InternshipData(
        host_id=form.host_id.data or None, subject=form.subject.data or "",
        start_date=form.start_date.data, end_date=form.end_date.data,
        work_days=frozenset(WEEKDAY_CODES.index(d) for d in (form.work_days.data or [])
                            if d in WEEKDAY_CODES),
        weekly_hours=form.weekly_hours.data, holidays_worked=form.holidays_worked.data,
        zone=form.zone.data, country=form.country.data, offer_id=form.offer_id.data,
        domain=form.domain.data or None,
        missions=form.missions.data, skills=form.skills.data,
        objectives=(form.objectives.data or "").splitlines(),
        host_tutor_name=form.host_tutor_name.data,
        host_tutor_position=form.host_tutor_position.data,
        host_tutor_email=form.host_tutor_email.data,
        host_tutor_phone=form.host_tutor_phone.data,
        agreed_amount=form.agreed_amount.data, agreed_unit=form.agreed_unit.data,
    )


@bp.get("/")
@login_required
def index():
    if current_user.is_student:
        own = services.of_student(current_user)
        active = [i for i in own if i.status != "cancelled"] or own
        if active:
            return redirect(url_for("internships.show", internship_id=active[0].id))
        return redirect(url_for("internships.new"))
    return redirect(url_for("internships.cohort"))


@bp.get("/etudiants/choix")
@roles_required(*MANAGERS)
def student_options():
    """The secretariat's student picker: its options for what is typed."""
    from app.web.picker import options_response

    return options_response(services.student_choices, ("student_id",))


@bp.route("/nouveau", methods=["GET", "POST"])
@roles_required(*WRITERS)
def new():
    is_student = current_user.is_student
    if is_student:
        with action(inline=True) as act:
            services.check_student(current_user)
        if not act.ok:
            return render("internships/not_for_you.html", message=act.error)
    form = _form(choose_student=not is_student)
    if request.method == "GET":
        if int_or_none(request.args.get("offer")) is not None:
            _prefill_from_offer(form, int_or_none(request.args.get("offer")))
        if not is_student and int_or_none(request.args.get("student")) is not None:
            form.student_id.data = int_or_none(request.args.get("student"))
        _fill_pickers(form)
    if form.validate_on_submit():
        student = current_user if is_student else db.session.get(User, form.student_id.data or 0)
        if student is None:
            form.student_id.errors.append("Choisissez l’étudiant·e.")
        else:
            with action(form) as act:
                data = _data(form)
                if form.proposes_host:
                    data.host_id = _proposed_host(form, student).id
                internship, warnings = services.create_internship(student, data,
                                                                  current_user)
            if act.ok:
                flash("Stage enregistré.", "success")
                for w in warnings:
                    flash(w, "info")
                return redirect_to(url_for("internships.show", internship_id=internship.id))
    return render("internships/form.html", block="internship_form", form=form, internship=None)


def _proposed_host(form: InternshipForm, student: User):
    """The host described under the picker, proposed to the secretariat (same transaction
    as the internship: both are written, or neither)."""
    from app.hosts import services as hosts

    try:
        return hosts.propose_host(hosts.HostData(
            name=form.new_host_name.data, city=form.new_host_city.data,
            country=form.new_host_country.data or "France", siret=form.new_host_siret.data,
            address=form.new_host_address.data), student)
    except DomainError as err:   # name it after this form's own fields
        raise DomainError(err.message, f"new_host_{err.field}" if err.field else None) \
            from None


def _prefill_from_offer(form: InternshipForm, offer_id: int) -> None:
    from app.offers.services import offer_for_viewer

    offer = offer_for_viewer(offer_id, staff=True)
    if offer is None:
        return
    form.offer_id.data = offer.id
    form.domain.data = offer.domain
    form.host_id.data = offer.host_id
    form.subject.data = offer.title
    form.missions.data = offer.missions
    form.country.data = offer.country
    if offer.start_date:
        form.start_date.data = offer.start_date
    if offer.weekly_hours:
        form.weekly_hours.data = offer.weekly_hours
    if offer.gratification_monthly is not None:
        form.agreed_amount.data = offer.gratification_monthly
        form.agreed_unit.data = "month"


@bp.get("/<int:internship_id>")
@login_required
def show(internship_id: int):
    internship = _internship_or_404(internship_id)
    return _render_show(internship)


def _render_show(internship, block=None, absence_form=None, **extra):
    today = date.today()
    stage_code = services.stage_of(internship, today)
    try:
        result, rate_error = services.gratification_of(internship, today), None
    except DomainError as err:
        result, rate_error = None, err.message
    from app.tutoring.services import tutor_of, volunteered_for

    tutor = tutor_of(internship.student, internship.academic_year)
    return render("internships/show.html", block=block, internship=internship, result=result,
                  tutor=tutor, offered=not tutor and bool(volunteered_for(
                      current_user, internship.academic_year, [internship.student_id])),
                  rate_error=rate_error, today=today,
                  week=internship.week_of(today), over=services.is_over(internship, today),
                  stage=services.STAGES[stage_code], stage_code=stage_code,
                  can_edit=services.can_edit(current_user, internship),
                  can_record_absences=services.can_record_absences(current_user, internship),
                  can_edit_terms=services.can_edit_terms(current_user, internship),
                  locked=services.terms_locked(current_user, internship),
                  same_host=services.same_host_year(internship) if result and result.other_hours
                  else [],
                  absence_form=absence_form or AbsenceForm(formdata=None),
                  paid_form=extra.pop("paid_form", None) or _paid_form(internship), **extra)


def _paid_form(internship: Internship) -> PaidForm:
    form = PaidForm(formdata=None, amount=internship.gratification_paid)
    form.version.data = str(internship.version_id)
    return form


@bp.route("/<int:internship_id>/modifier", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit(internship_id: int):
    internship = _internship_or_404(internship_id)
    if not services.can_edit(current_user, internship):
        abort(403)
    locked = services.terms_locked(current_user, internship)
    if locked:
        flash(locked, "error")
        return redirect_to(url_for("internships.show", internship_id=internship.id))
    form = _form(internship)
    if form.validate_on_submit():
        with action(form) as act:
            warnings = services.update_internship(internship, _data(form),
                                                  int_or_none(form.version.data), current_user)
        if act.ok:
            flash("Stage mis à jour.", "success")
            for w in warnings:
                flash(w, "info")
            return redirect_to(url_for("internships.show", internship_id=internship.id))
    return render("internships/form.html", block="internship_form", form=form,
                  internship=internship)


@bp.post("/<int:internship_id>/absences")
@roles_required(*WRITERS)
def add_absence(internship_id: int):
    internship = _internship_or_404(internship_id)
    if not services.can_record_absences(current_user, internship):
        abort(403)
    form = AbsenceForm()
    if form.validate_on_submit():
        with action(form) as act:
            services.add_absence(internship, form.start_date.data, form.end_date.data,
                                 form.reason.data)
        if act.ok:
            form = None
            if not wants_fragment():
                flash("Absence enregistrée.", "success")
                return redirect_to(url_for("internships.show", internship_id=internship_id))
    internship = services.get(internship_id)
    return _render_show(internship, block="presence" if wants_fragment() else None,
                        absence_form=form)


@bp.post("/<int:internship_id>/absences/<int:absence_id>/supprimer")
@roles_required(*WRITERS)
def remove_absence(internship_id: int, absence_id: int):
    internship = _internship_or_404(internship_id)
    if not services.can_record_absences(current_user, internship):
        abort(403)
    with action() as act:   # a fragment shows its message in the presence block
        services.remove_absence(internship, absence_id)
    if not wants_fragment():
        return redirect_to(url_for("internships.show", internship_id=internship_id))
    return _render_show(services.get(internship_id), block="presence",
                        action_error=act.error)


@bp.post("/<int:internship_id>/commence")
@roles_required(*MANAGERS)
def mark_started(internship_id: int):
    internship = _internship_or_404(internship_id)
    with action(inline=False) as act:
        services.mark_started(internship, current_user, date.today())
    if act.ok:
        flash("Début du stage enregistré.", "success")
    return redirect_to(url_for("internships.show", internship_id=internship_id))


@bp.get("/<int:internship_id>/attestation.pdf")
@login_required
def attestation(internship_id: int):
    from app.internships import attestation as pdf

    internship = _internship_or_404(internship_id)
    with action(inline=False):
        return pdf.response(internship, date.today())
    return redirect(url_for("internships.show", internship_id=internship_id))


@bp.post("/<int:internship_id>/gratification-versee")
@roles_required(*MANAGERS)
def record_paid(internship_id: int):
    internship = _internship_or_404(internship_id)
    form = PaidForm()
    if form.validate_on_submit():
        with action(form) as act:
            services.record_paid(internship, current_user, form.amount.data,
                                 int_or_none(form.version.data), date.today())
        if act.ok:
            flash("Gratification versée enregistrée.", "success")
            return redirect_to(url_for("internships.show", internship_id=internship_id))
    internship = services.get(internship_id)
    if not services.is_over(internship, date.today()):  # the page shows no such form
        flash_errors(form)
        return redirect_to(url_for("internships.show", internship_id=internship_id))
    return _render_show(internship, paid_form=form)
