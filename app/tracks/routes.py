from __future__ import annotations

from datetime import date

from flask import abort, flash, request, url_for
from flask_login import current_user, login_required

from app.accounts.models import STAFF, User
from app.extensions import db
from app.hosts.services import host_choices
from app.plurals import count_text
from app.tracks import bp, services
from app.tracks.forms import ApprenticeFilterForm, ApprenticeshipForm, ProjectForm, TrackForm
from app.tracks.models import Team
from app.web.access import roles_required, staff_required
from app.web.actions import action
from app.web.exports import export_response
from app.web.forms import int_or_none
from app.web.htmx import redirect_to, wants_fragment
from app.web.pagination import paginate
from app.web.picker import fill
from app.web.render import render
from app.web.years import selected_year
from app.years import services as years


def _student_or_404(student_id: int) -> User:
    student = db.session.get(User, student_id)
    if student is None or student.role != "student":
        abort(404)
    return student


@bp.route("/etudiants/<int:student_id>", methods=["GET", "POST"])
@staff_required
def student(student_id: int):
    student = _student_or_404(student_id)
    form = TrackForm()
    if request.method == "POST":
        if not current_user.is_manager:
            abort(403)
        if form.validate_on_submit():
            with action(form) as act:
                done = services.change_track(current_user, student, form.track.data,
                                              form.effective_on.data, form.reason.data)
            if act.ok:
                removed = " ; ".join(done.removed)
                flash(f"Parcours de {student.full_name} : {student.track_label.lower()}."
                      + (f" {removed}." if removed else ""), "success")
                return redirect_to(url_for("tracks.student", student_id=student_id))
    elif request.method == "GET":
        form.track.data = "apprentice" if student.track == "initial" else "initial"
    from app.access import opener
    from app.internships.services import of_student

    return render("tracks/student.html", student=student, form=form,
                  can_open=opener(current_user), year=years.current_year(date.today()),
                  history=services.track_history(student), internships=of_student(student),
                  record=services.record_of(student))


@bp.get("/alternants")
@staff_required
def apprentices():
    choice = selected_year()  # apprentices have no internship: the year of today
    year = choice.year
    search = ApprenticeFilterForm(request.args, id_prefix="apprentice-filters")
    q = search.value("q")
    page = paginate(services.apprentices_query(q), work_list=True)
    from app.access import opener

    return render("tracks/apprentices.html", block="results", page=page, q=q, year=year,
                  search=search,
                  can_open=opener(current_user), choice=choice,
                  rows=services.apprentice_rows(year, page.items))


@bp.get("/alternants/export.<fmt>")
@staff_required
def apprentices_export(fmt: str):
    year = selected_year().year
    rows = ((r.student.last_name, r.student.first_name, r.student.cohort,
             r.record.employer.name if r.record and r.record.employer else None,
             r.record.contract_label if r.record else None,
             r.record.start_date if r.record else None, r.record.end_date if r.record else None,
             r.record.mentor_name if r.record else None,
             r.tutor.full_name if r.tutor else None, ", ".join(r.missing))
            for r in services.apprentice_rows(year))
    return export_response(fmt, "alternants", ["Nom", "Prénom", "Promotion", "Employeur",
                                               "Contrat", "Début", "Fin",
                                               "Maître d’apprentissage", "Tuteur·rice",
                                               "À compléter"], rows)


@bp.route("/alternants/<int:student_id>/fiche", methods=["GET", "POST"])
@login_required
def apprenticeship(student_id: int):
    student = _student_or_404(student_id)
    year = years.current_year(date.today())
    if not services.can_read_record(current_user, student, year):
        abort(404)  # need to know, and another student's record is not revealed
    record = services.record_of(student)
    form = ApprenticeshipForm(obj=record)
    fill(form.employer_id, host_choices)
    editable = current_user.is_manager
    if request.method == "GET" and record is not None:
        form.version.data = str(record.version_id)
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            data = {k: form.data[k] for k in form.data if k not in ("csrf_token", "version")}
            with action(form) as act:
                services.save_record(current_user, student, data, int_or_none(form.version.data))
            if act.ok:
                flash("Fiche d’alternance enregistrée.", "success")
                return redirect_to(url_for("tracks.apprenticeship", student_id=student_id))
    from app.tutoring.services import tutor_of

    return render("tracks/apprenticeship.html", student=student, record=record, form=form,
                  editable=editable,
                  tutor=tutor_of(student, year))


# ---------------------------------------------------------------- tutored projects

@bp.get("/projets")
@login_required
def projects():
    choice = selected_year()  # a project has no end: the year of today
    year = choice.year
    if current_user.is_apprentice:
        return render("tracks/projects.html", projects=[], year=year, choice=choice,
                      apprentice=True)
    listed = services.projects_for(current_user, year)
    mine = {}
    if current_user.is_student:
        mine = {p.id: services.team_of(current_user, p) for p in listed}
    return render("tracks/projects.html", projects=listed, year=year, choice=choice,
                  mine=mine, apprentice=False)


@bp.route("/projets/nouveau", methods=["GET", "POST"])
@roles_required("teacher", "admin")
def new_project():
    form = ProjectForm()
    if form.validate_on_submit():
        with action(form) as act:
            project = services.create_project(current_user, form.data,
                                              years.current_year(date.today()))
        if act.ok:
            flash("Projet créé : formez les équipes.", "success")
            return redirect_to(url_for("tracks.project", project_id=project.id))
    return render("tracks/project_form.html", form=form)


def _project_or_404(project_id: int):
    project = services.get_project(project_id)
    if project is None:
        abort(404)
    if current_user.is_student and (current_user.cohort != project.cohort
                                    or current_user.is_apprentice):
        abort(404)
    return project


def _project_page(project, block=None, error=None, notice=None, status=200):
    manage = services.can_manage(current_user, project)
    placed = {m.student_id for t in project.teams for m in t.members}
    eligible = services.eligible_students(project) if manage else []
    return render("tracks/project.html", block=block, project=project, manage=manage,
                  unplaced=[s for s in eligible if s.id not in placed], error=error,
                  notice=notice, my_team=services.team_of(current_user, project)
                  if current_user.is_student else None,
                  classmates=services.eligible_students(project) if current_user.is_student
                  else [], status=status)


@bp.get("/projets/<int:project_id>")
@login_required
def project(project_id: int):
    return _project_page(_project_or_404(project_id))


@bp.post("/projets/<int:project_id>/equipes")
@login_required
def place(project_id: int):
    project = _project_or_404(project_id)
    joining = current_user.is_student
    student = current_user if joining else db.session.get(
        User, int_or_none(request.form.get("student_id")) or 0)
    team = db.session.get(Team, int_or_none(request.form.get("team_id")) or 0)
    with action() as act:
        services.put_in_team(current_user, project, student, team, joining=joining)
    if not wants_fragment():
        if act.ok:
            flash("Équipe mise à jour.", "success")
        return redirect_to(url_for("tracks.project", project_id=project_id))
    return _project_page(services.get_project(project_id), block="teams", error=act.error)


@bp.post("/projets/<int:project_id>/retirer/<int:student_id>")
@roles_required(*STAFF)
def unplace(project_id: int, student_id: int):
    project = _project_or_404(project_id)
    with action() as act:
        services.remove_from_team(current_user, project, student_id)
    if not wants_fragment():
        if act.ok:
            flash("Étudiant·e retiré·e de l’équipe.", "success")
        return redirect_to(url_for("tracks.project", project_id=project_id))
    return _project_page(services.get_project(project_id), block="teams", error=act.error)


@bp.post("/projets/<int:project_id>/former")
@roles_required(*STAFF)
def auto_form(project_id: int):
    project = _project_or_404(project_id)
    notice = None
    with action() as act:
        plan = services.auto_form(current_user, project)
    if act.ok:
        notice = count_text("Équipes formées : %(num)d souhait respecté sur %(total)d.",
                            "Équipes formées : %(num)d souhaits respectés sur %(total)d.",
                            plan.kept_wishes, total=plan.total_wishes)
    if not wants_fragment():
        if act.ok:
            flash(notice, "success")
        return redirect_to(url_for("tracks.project", project_id=project_id))
    return _project_page(services.get_project(project_id), block="teams", error=act.error,
                         notice=notice)


@bp.post("/projets/<int:project_id>/souhait")
@roles_required("student")
def wish(project_id: int):
    project = _project_or_404(project_id)
    other = db.session.get(User, int_or_none(request.form.get("with_student_id")) or 0)
    with action(inline=False) as act:
        services.add_wish(current_user, project, other)
    if act.ok:
        flash(f"Souhait noté : travailler avec {other.full_name}.", "success")
    return redirect_to(url_for("tracks.project", project_id=project_id))
