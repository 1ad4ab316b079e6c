"""Home page per role: what to do next."""
from __future__ import annotations

from datetime import date

from flask import Blueprint
from flask_login import current_user, login_required

from app import dashboard
from app.accounts.services import counts_by_role, students_by_track
from app.offers import services as offers
from app.web.render import render

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    context = {"latest": offers.latest_published(), "today": date.today(),
               "domains": offers.domains()}
    if current_user.is_student and current_user.cohort == "BUT3" and not current_user.is_apprentice:
        from app.internships import services as internships

        own = internships.of_student(current_user)
        current = next((i for i in own if i.status != "cancelled"), None)
        from app.applications.services import students_with_open_applications

        applied = bool(students_with_open_applications([current_user.id]))
        stage = internships.stage_of(current, context["today"], applied)
        context.update(internship=current, stage=stage, stage_label=internships.STAGES[stage],
                       next_step=dashboard.student_next_step(stage, current, context["today"]))
    if current_user.is_student:
        from app.tutoring.services import tutor_of
        from app.years.services import current_year

        context["tutor"] = tutor_of(current_user, current_year(context["today"]))
    if current_user.is_staff:
        from app.tutoring.services import is_coordinator
        from app.years.services import year_for

        year = year_for(context["today"])   # read only: a home page creates no year
        context.update(offer_counts=offers.counts_by_status(), year=year)
        if year is not None:
            if current_user.role == "teacher":
                context["teaching"] = dashboard.teacher_home(current_user, year,
                                                             context["today"])
            if is_coordinator(current_user):
                context["waiting_for_tutor"] = dashboard.waiting_for_tutor(year)
            if current_user.role in ("secretariat", "admin"):
                context["desk"] = dashboard.secretariat_home(year, context["today"])
    if current_user.is_admin:
        context["user_counts"] = counts_by_role()
        context["track_counts"] = students_by_track()
    return render("home.html", **context)
