from __future__ import annotations

from datetime import date

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.models import MANAGERS, STAFF, User
from app.errors import DomainError
from app.extensions import db
from app.plurals import count_text
from app.tutoring import bp, services
from app.tutoring.forms import (
    FollowUpForm,
    PreferencesForm,
    TeacherSettingsForm,
    TuteeFilterForm,
)
from app.web.access import admin_required, roles_required
from app.web.actions import action
from app.web.exports import export_response
from app.web.forms import int_or_none
from app.web.htmx import local_path, redirect_to, wants_fragment
from app.web.pagination import Page, page_of
from app.web.render import render
from app.web.years import selected_year


def _board_choice():
    """The board's year: ``year`` in the address or the form, else the year with
    internships not over whose student still waits for a tutor."""
    return selected_year(services.board_work)


def _year():
    return _board_choice().year


def _coordinator_only():
    if not services.is_coordinator(current_user):
        abort(403)



def _tutee_page(year, q: str, assigned: bool, total: int, name: str) -> Page:
    """The page ``name`` (GET, or kept by the board's forms) of one list of the board."""
    return page_of(total, lambda limit, offset: services.tutee_page(
        year, assigned=assigned, q=q, limit=limit, offset=offset), work_list=True, name=name)


def _assignment_page(block=None, proposal=None, **extra):
    """The board: the tutees without a tutor and those with one, each list paged and searched
    by name, then the teachers' loads; the page numbers and the search survive an
    assignment."""
    choice = _board_choice()
    year = choice.year
    # the search comes with the board's forms (POST) as with its address (GET)
    search = TuteeFilterForm(request.values, id_prefix="tutee-filters")
    q = search.value("q")
    waiting_total, assigned_total = services.tutee_counts(year, q)
    return render("tutoring/assign.html", block=block, year=year, choice=choice, q=q,
                  search=search,
                  waiting=_tutee_page(year, q, False, waiting_total, "page"),
                  assigned=_tutee_page(year, q, True, assigned_total, "apage"),
                  proposal=proposal,
                  board_endpoint="tutoring.overview" if extra.get("read_only")
                  else "tutoring.assign_page",
                  teachers=services.teacher_rows(year), volunteers=services.volunteers(year),
                  **extra)


@bp.get("/")
@roles_required("teacher", "admin")
def assign_page():
    _coordinator_only()
    return _assignment_page(block="board" if wants_fragment() else None)


@bp.post("/affecter")
@roles_required("teacher", "admin")
def assign():
    """The ticked students of one list of the board go to the teacher chosen under it; a
    volunteer's button (``pair`` = "student:teacher") assigns that one student at once. From
    the list of those without a tutor (``list=waiting``), a student given one meanwhile by
    someone else stops it all, rather than being taken from that tutor."""
    _coordinator_only()
    year = _year()
    pair = (request.form.get("pair") or "").partition(":")
    waiting = bool(pair[1]) or request.form.get("list") == "waiting"
    if pair[1]:
        picked, teacher_id = [int_or_none(pair[0]) or 0], int_or_none(pair[2])
    else:
        picked = [n for n in map(int_or_none, request.form.getlist("student_id")) if n]
        teacher_id = int_or_none(request.form.get("teacher_id"))
    teacher = db.session.get(User, teacher_id) if teacher_id else None
    notice = None
    with action() as act:
        done = services.assign_many(current_user, picked, teacher, year,
                                    only_unassigned=waiting)
    if act.ok:
        if done == 1:
            student = db.session.get(User, picked[0])
            notice = f"{teacher.full_name} tutore désormais {student.full_name}."
        else:
            notice = f"{done} étudiant·es confié·es à {teacher.full_name}."
    if not wants_fragment():
        if act.ok:
            flash(notice, "success")
        return redirect_to(url_for("tutoring.assign_page", year=year.start_year,
                                   q=request.form.get("q") or None,
                                   page=request.form.get("page"),
                                   apage=request.form.get("apage")))
    kept = {} if act.ok else {"picked": set(picked), "picked_teacher": teacher_id,
                              "picked_list": "waiting" if waiting else "assigned"}
    return _assignment_page(block="board", error=act.error, notice=notice, **kept)


@bp.get("/suggestion")
@roles_required("teacher", "admin")
def suggest():
    _coordinator_only()
    proposal = services.proposal(_year())
    return _assignment_page(block="suggestion" if wants_fragment() else None,
                            proposal=proposal)


@bp.post("/suggestion/appliquer")
@roles_required("teacher", "admin")
def apply_suggestion():
    """Apply the reviewed proposal (its ``plan``), less the students set aside."""
    _coordinator_only()
    year = _year()
    dropped = {n for n in map(int_or_none, request.form.getlist("drop")) if n}
    mapping = services.parse_plan(request.form.get("plan", ""), dropped)
    with action() as act:
        if not mapping:
            raise DomainError(_("Aucune affectation à appliquer."))
        done = services.apply_assignment(current_user, year, mapping)
    notice = (count_text("%(num)d affectation appliquée.", "%(num)d affectations appliquées.",
                         done) if act.ok else None)
    if not wants_fragment():
        if act.ok:
            flash(notice, "success")
        return redirect_to(url_for("tutoring.assign_page", year=year.start_year))
    return _assignment_page(block="board", error=act.error, notice=notice)


@bp.post("/volontaire/<int:student_id>")
@roles_required("teacher")
def volunteer(student_id: int):
    student = db.session.get(User, student_id)
    if student is None or not student.is_student:
        abort(404)  # only a student can be tutored
    with action(inline=False) as act:
        services.volunteer(current_user, student, _year())
    if act.ok:
        flash(f"Proposition envoyée : la coordination confirmera pour {student.full_name}.",
              "success")
    return redirect_to(local_path(request.form.get("back")) or url_for("home.index"))


def _tutor_choice():
    """The year of a tutor's pages: ``year`` in the address, else the year while any of
    their tutees' internships or defences of it is not over (everyone's for the staff)."""
    teacher = current_user if current_user.role == "teacher" else None
    return selected_year(lambda year, today: services.tutor_work(teacher, year, today))


@bp.get("/mes-tutores")
@roles_required("teacher")
def mine():
    choice = _tutor_choice()
    return render("tutoring/mine.html", year=choice.year, choice=choice,
                  rows=services.my_tutees(current_user, choice.year, choice.today))


@bp.route("/suivi/<int:student_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def log(student_id: int):
    """A tutee's log of one year: the year of the address, else the tutor's open year, or
    the student's latest year of tutoring that the reader may read. Access is the log's
    year's (``can_read_log``), not today's: last year's tutee stays readable."""
    student = db.session.get(User, student_id)
    if student is None:
        abort(404)
    choice = _tutor_choice()
    tutored = services.tutored_years(student)
    if request.values.get("year") is None and choice.year.id not in tutored:
        readable = [y for y in choice.years if y.id in tutored
                    and services.can_read_log(current_user, student, y)]
        if readable:
            choice.year = readable[0]
    choice.years = [y for y in choice.years if y.id in tutored or y.id == choice.year.id]
    year = choice.year
    if not services.can_read_log(current_user, student, year):
        abort(404)
    form = FollowUpForm()
    if request.method == "POST" and form.validate_on_submit():
        with action(form) as act:
            services.add_follow_up(current_user, student, year, form.kind.data,
                                   form.happened_on.data, form.note.data, date.today())
        if act.ok:
            if not wants_fragment():
                flash("Échange noté.", "success")
                return redirect_to(url_for("tutoring.log", student_id=student_id,
                                           year=year.start_year))
            form = FollowUpForm(formdata=None)
    current = services.tutor_of(student, year)
    return render("tutoring/log.html", block="log" if request.method == "POST" else None,
                  student=student, year=year, choice=choice,
                  entries=services.follow_ups(student, year),
                  history=services.history(student, year), form=form,
                  can_write=current is not None and current.id == current_user.id)


@bp.route("/preferences", methods=["GET", "POST"])
@roles_required("teacher")
def preferences():
    from app.offers.services import domains

    pref = services.preferences_of(current_user)
    form = PreferencesForm()
    form.domains.choices = list(domains().items())
    form.taught.choices = []  # the picker's own checkboxes (taught_choices)
    if request.method == "GET":
        form.domains.data = pref.domains or []
        form.cities.data = ", ".join(pref.cities or [])
        form.taught.data = sorted(services.taught_ids(current_user))
    if form.validate_on_submit():
        services.set_preferences(current_user, form.domains.data or [], form.cities.data,
                                 form.taught.data or [])
        flash("Préférences enregistrées.", "success")
        return redirect_to(url_for("tutoring.preferences"))
    picked, others = services.taught_choices(list(form.taught.data or []))
    return render("tutoring/preferences.html", form=form, picked=picked, others=others, q="")


@bp.get("/preferences/etudiants")
@roles_required("teacher")
def taught_options():
    """The preferences' student picker, refilled: the ticked students, then those found."""
    if not wants_fragment():
        return redirect_to(url_for("tutoring.preferences"))
    chosen = [n for n in map(int_or_none, request.args.getlist("taught")) if n][:2000]
    q = (request.args.get("taught_q") or "").strip()[:100]
    picked, others = services.taught_choices(chosen, q or None)
    return render("tutoring/preferences.html", block="taught", picked=picked, others=others,
                  q=q)


@bp.get("/export.<fmt>")
@login_required
def export(fmt: str):
    if not (current_user.is_manager or services.is_coordinator(current_user)):
        abort(403)
    year = _year()
    return export_response(fmt, f"tutorat-{year.label}", [
        "Nom", "Prénom", "Promotion", "Groupe", "Parcours", "Organisme", "Tuteur·rice",
        "Email du tuteur"], services.export_rows(year))


@bp.get("/vue-ensemble")
@roles_required(*MANAGERS)
def overview():
    return _assignment_page(block="board" if wants_fragment() else None, read_only=True)


@bp.route("/enseignant/<int:user_id>", methods=["GET", "POST"])
@admin_required
def teacher_settings(user_id: int):
    teacher = db.session.get(User, user_id)
    if teacher is None or teacher.role != "teacher":
        abort(404)
    form = TeacherSettingsForm(obj=teacher)
    if form.validate_on_submit():
        teacher.is_coordinator = form.is_coordinator.data
        teacher.tutee_capacity = form.tutee_capacity.data
        db.session.commit()
        flash(f"Réglages de {teacher.full_name} enregistrés.", "success")
        return redirect_to(url_for("accounts.users", role="teacher"))
    return render("tutoring/teacher_settings.html", form=form, teacher=teacher)
