from __future__ import annotations

from dataclasses import asdict
from datetime import date

from flask import abort, flash, request, url_for
from flask_login import current_user, login_required

from app.accounts.models import MANAGERS, STAFF
from app.conventions import amendments, bp, pdf, services, workflow
from app.conventions.forms import (
    AmendmentForm,
    ConventionForm,
    EarlyEndForm,
    QueueFilterForm,
    SignatureForm,
    SignedPdfForm,
)
from app.conventions.models import SIGNATORIES
from app.conventions.workflow import STATUSES
from app.errors import DomainError
from app.exports.views import export_or_background
from app.extensions import db
from app.files import services as files
from app.internships import services as internships
from app.plurals import count_text
from app.rules.formatting import de
from app.web.access import roles_required
from app.web.actions import action, flash_errors
from app.web.forms import int_or_none
from app.web.htmx import redirect_to, wants_fragment
from app.web.pagination import SEARCH_CAP, paginate
from app.web.render import render
from app.web.years import selected_year


def _convention_or_404(convention_id: int):
    convention = services.get(convention_id)
    if convention is None or not services.can_view(current_user, convention):
        abort(404)
    return convention


@bp.post("/depuis-le-stage/<int:internship_id>")
@roles_required("student", *MANAGERS)
def create(internship_id: int):
    internship = internships.get(internship_id)
    if internship is None or not internships.can_view(current_user, internship):
        abort(404)
    existing = services.of_internship(internship)
    if existing is not None:
        return redirect_to(url_for("conventions.show", convention_id=existing.id))
    with action(inline=False) as act:
        convention = services.create(internship, current_user)
    if not act.ok:
        return redirect_to(url_for("internships.show", internship_id=internship_id))
    if current_user.is_student:
        flash("Convention préparée à partir de votre stage : complétez les mentions puis "
              "soumettez-la.", "success")
    else:
        flash(f"Convention préparée à partir du stage {de(internship.student.full_name)} : "
              "complétez les mentions puis soumettez-la.", "success")
    return redirect_to(url_for("conventions.show", convention_id=convention.id))


def _page(convention, block=None, form=None, action_error=None, status=200, **extra):
    today = date.today()
    checks = services.automatic_checks(convention, today)
    manual = services.manual_checks(convention)
    try:
        result = internships.gratification_of(convention.internship, today)
    except DomainError:
        result = None
    if form is None:
        form = ConventionForm(obj=convention, formdata=None)
        form.version.data = str(convention.version_id)
    terms = services.terms_of(convention)
    return render("conventions/show.html", block=block, c=convention, i=convention.internship,
                  checks=checks, manual=manual, result=result, form=form, terms=terms,
                  action_error=action_error, can_edit=services.can_edit(current_user, convention),
                  can=workflow.permitted(current_user, convention),
                  buttons=workflow.buttons(current_user, convention),
                  signatories=SIGNATORIES, signature_form=SignatureForm(formdata=None),
                  signed_form=SignedPdfForm(formdata=None),
                  end_form=extra.pop("end_form", None) or EarlyEndForm(formdata=None),
                  amendment_form=_amendment_form(extra.pop("amendment_form", None)),
                  teachers=services.teacher_choices() if current_user.is_manager else [],
                  soon=services.starts_soon(convention, today), today=today, status=status,
                  validated_on=services.validated_on(convention),
                  # a teacher asked for the approval may open the convention, not the internship
                  can_open_internship=internships.can_view(current_user, convention.internship),
                  **extra)


def _amendment_form(form=None):
    form = form or AmendmentForm(formdata=None)
    form.academic_tutor_id.choices = [("", "—")] + services.teacher_choices()
    return form


@bp.get("/<int:convention_id>")
@login_required
def show(convention_id: int):
    return _page(_convention_or_404(convention_id))


@bp.post("/<int:convention_id>/mentions")
@roles_required("student", *MANAGERS)
def update(convention_id: int):
    convention = _convention_or_404(convention_id)
    form = ConventionForm()
    if form.validate_on_submit():
        with action(form) as act:
            services.update(convention, current_user, form.data, int_or_none(form.version.data))
        if act.ok:
            flash("Convention enregistrée.", "success")
            return redirect_to(url_for("conventions.show", convention_id=convention_id))
    return _page(services.get(convention_id), block="mentions" if wants_fragment() else None,
                 form=form)


ACTIONS = {
    "submit": lambda c, u, f, t: services.submit(c, u, int_or_none(f.get("version"))),
    "request_changes": lambda c, u, f, t: services.request_changes(
        c, u, f.get("comment"), int_or_none(f.get("version"))),
    "approve": lambda c, u, f, t: services.approve(c, u, int_or_none(f.get("version"))),
    "validate": lambda c, u, f, t: services.validate(c, u, int_or_none(f.get("version")), t),
    "send": lambda c, u, f, t: services.send_for_signature(c, u, int_or_none(f.get("version"))),
    "cancel": lambda c, u, f, t: services.cancel(c, u, f.get("comment"),
                                                 int_or_none(f.get("version")), t),
    "tutor": lambda c, u, f, t: services.set_academic_tutor(
        c, u, int_or_none(f.get("academic_tutor_id")), int_or_none(f.get("version"))),
}


@bp.post("/<int:convention_id>/action/<action>")
@roles_required("student", *STAFF)
def act(convention_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    from app.web.actions import action as attempt  # ``action`` is this route's parameter

    convention = _convention_or_404(convention_id)
    with attempt() as outcome:
        ACTIONS[action](convention, current_user, request.form, date.today())
    if outcome.error:   # a fragment: the message in the workflow block
        return _page(services.get(convention_id), block="workflow", action_error=outcome.error)
    if outcome.ok:
        flash(workflow.TRANSITIONS[action].done, "success")
        if action == "validate":
            from app.abroad.services import warnings

            for warning in warnings(convention.internship):
                flash(warning, "warning")
    elif not services.can_view(current_user, services.get(convention_id)):
        # refused because the convention is no longer theirs (another teacher became the
        # tutor meanwhile): the message is read on their home page, not on a 404
        return redirect_to(url_for("home.index"))
    return redirect_to(url_for("conventions.show", convention_id=convention_id))


@bp.post("/<int:convention_id>/rupture")
@roles_required(*MANAGERS)
def end_early(convention_id: int):
    convention = _convention_or_404(convention_id)
    form = EarlyEndForm()
    if form.validate_on_submit():
        with action(form) as act:
            services.end_early(convention, current_user, form.ended_on.data,
                               form.end_reason.data, int_or_none(form.version.data),
                               date.today())
        if act.ok:
            flash(workflow.TRANSITIONS["end_early"].done, "success")
            return redirect_to(url_for("conventions.show", convention_id=convention_id))
    return _page(services.get(convention_id), end_form=form, open_end=True)


@bp.post("/<int:convention_id>/verifier/<item>")
@roles_required(*MANAGERS)
def check_item(convention_id: int, item: str):
    convention = _convention_or_404(convention_id)
    if item not in services.MANUAL_ITEMS:
        abort(404)
    with action() as act:
        services.set_manual_check(convention, current_user, item,
                                  request.form.get("checked") == "1")
    if not wants_fragment():
        return redirect_to(url_for("conventions.show", convention_id=convention_id))
    # Only this mention's line changes: ticks never touch the convention's version.
    return render("conventions/show.html", block="manual_item", c=convention,
                  can=workflow.permitted(current_user, convention),
                  item=services.manual_check(convention, item), item_error=act.error)


@bp.post("/<int:convention_id>/signature/<party>")
@roles_required(*MANAGERS)
def sign(convention_id: int, party: str):
    if party not in SIGNATORIES:
        abort(404)
    convention = _convention_or_404(convention_id)
    form = SignatureForm()
    if form.validate_on_submit():
        with action(inline=False) as act:
            services.record_signature(convention, current_user, party, form.signed_on.data,
                                      int_or_none(request.form.get("version")), date.today())
        if act.ok:
            flash(workflow.TRANSITIONS["sign"].done, "success")
    else:
        flash_errors(form)
    return redirect_to(url_for("conventions.show", convention_id=convention_id))


@bp.post("/<int:convention_id>/signee")
@roles_required(*MANAGERS)
def upload_signed(convention_id: int):
    convention = _convention_or_404(convention_id)
    form = SignedPdfForm()
    if form.validate_on_submit():
        with action(inline=False) as act:
            services.upload_signed(convention, current_user, files.read_upload(form.file.data),
                                   form.file.data.filename, form.signed_on.data,
                                   int_or_none(form.version.data), date.today())
        if act.ok:
            flash("Convention signée enregistrée.", "success")
    else:
        flash_errors(form)
    return redirect_to(url_for("conventions.show", convention_id=convention_id))


@bp.get("/<int:convention_id>/signee.pdf")
@login_required
def signed_pdf(convention_id: int):
    convention = _convention_or_404(convention_id)
    if convention.signed_pdf is None:
        abort(404)
    return files.download(convention.signed_pdf)


@bp.get("/<int:convention_id>/convention.pdf")
@login_required
def as_pdf(convention_id: int):
    convention = _convention_or_404(convention_id)
    if convention.document is not None:   # as signed: never built again
        return pdf.stored_response(convention.document)
    return pdf.response(convention, date.today())


@bp.get("/<int:convention_id>/avenant-<int:number>.pdf")
@login_required
def amendment_pdf(convention_id: int, number: int):
    convention = _convention_or_404(convention_id)
    amendment = services.amendment(convention, number) or abort(404)
    return pdf.amendment_response(convention, amendment)


@bp.post("/<int:convention_id>/avenant")
@roles_required(*MANAGERS)
def amend(convention_id: int):
    convention = _convention_or_404(convention_id)
    form = _amendment_form(AmendmentForm())
    if form.validate_on_submit():
        with action(form) as act:
            amendments.amend(convention, current_user, form.kind.data, form.reason.data,
                             form.values(), int_or_none(form.version.data), date.today())
        if act.ok:
            flash(workflow.TRANSITIONS["amend"].done, "success")
            return redirect_to(url_for("conventions.show", convention_id=convention_id))
    convention = services.get(convention_id)
    if "amend" not in workflow.permitted(current_user, convention):
        # The page was stale (the convention was cancelled or ended meanwhile): the avenant
        # form is no longer shown, so its refusal is told in the page's flash area.
        flash_errors(form)
        return redirect_to(url_for("conventions.show", convention_id=convention_id))
    return _page(convention, amendment_form=form, open_amendment=True)


# ---------------------------------------------------------------- the queue

def _year_choice():
    """The queue's year: ``year`` in the address, else the year whose internships are not over
    (the one the secretariat's home counts)."""
    return selected_year(internships.cohort_work)


def _filter_form() -> QueueFilterForm:
    return QueueFilterForm(request.args, id_prefix="conv")


def _filters(form: QueueFilterForm, choice) -> services.QueueFilters:
    # By default the queue shows what waits for the secretariat; "all" shows every status.
    status = form.value("status")
    return services.QueueFilters(q=form.value("q"),
                                 status=status if status in STATUSES else "",
                                 soon=form.value("soon"), year_id=choice.year.id)


@bp.get("/")
@roles_required(*STAFF)
def queue():
    today = date.today()
    choice = _year_choice()
    form = _filter_form()
    filters = _filters(form, choice)
    page = paginate(services.queue_query(filters, today), work_list=True,
                    cap=SEARCH_CAP if filters.q else None)
    from app.access import opener

    can_open = opener(current_user)   # one query for the page, not one a row
    return render("conventions/queue.html", block="results", page=page, filters=form,
                  can_open=lambda c: can_open(c.internship.student_id,
                                              c.internship.academic_year_id)
                  or services.awaits_approval_of(current_user, c),
                  counts=services.counts(choice.year), statuses=STATUSES, today=today,
                  starts_soon=services.starts_soon, choice=choice,
                  elsewhere=services.waiting_in_other_years(choice.year))


@bp.post("/valider")
@roles_required(*MANAGERS)
def validate_many():
    ids = [i for i in (int_or_none(v) for v in request.form.getlist("ids")) if i]
    if not ids:
        flash("Cochez les conventions à valider.", "error")
    else:
        done, refused = services.validate_many(ids, current_user, date.today())
        if done:
            flash(count_text("%(num)d convention validée.", "%(num)d conventions validées.",
                             len(done)), "success")
        for convention, reason in refused:
            flash(f"{convention.internship.student.full_name} : {reason}", "error")
    return redirect_to(url_for("conventions.queue", status="submitted"))


@bp.route("/export.<fmt>", methods=["GET", "POST"])
@roles_required(*STAFF)
def export(fmt: str):
    filters = _filters(_filter_form(), _year_choice())
    return export_or_background(fmt, "conventions", "conventions", asdict(filters),
                                services.queue_query(filters, date.today()))


def export_rows(params: dict):
    """The convention queue as a file (at once, or by the background export)."""
    today = date.today()
    rows = ((c.internship.student.last_name, c.internship.student.first_name,
             c.internship.host.name, c.internship.start_date, c.internship.end_date,
             c.status_label, c.submitted_at.date() if c.submitted_at else None,
             services.starts_soon(c, today))
            for c in db.session.execute(
                services.queue_query(services.QueueFilters(**params), today)).unique()
            .scalars())
    return (["Nom", "Prénom", "Organisme", "Début", "Fin", "Statut", "Soumise le",
             "Début sous 15 jours"], rows, 0)
