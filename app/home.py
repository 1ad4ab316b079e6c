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
                       next_step=dashboard.student_next_step(stage, current, context["today"]),
                       appraisal=dashboard.host_appraisal(current))
        if current is not None and current.is_abroad:
            from app.abroad.services import checklist

            context["abroad"] = checklist(current)
    if current_user.is_student:
        from app.tutoring.services import tutor_of
        from app.years.services import current_year

        context["tutor"] = tutor_of(current_user, current_year(context["today"]))
    if current_user.is_staff:
        from app.internships.services import cohort_work
        from app.tutoring import services as tutoring
        from app.web.years import selected_year
        from app.years.services import year_for

        today = context["today"]
        context["offer_counts"] = offers.counts_by_status()
        if year_for(today) is not None:   # a home page creates no year
            # each part on the year whose work is still open for it (September: last year's)
            if current_user.role == "teacher":
                year = selected_year(lambda y, t: tutoring.tutor_work(current_user, y, t),
                                     today).year
                context["teaching"] = dashboard.teacher_home(current_user, year, today)
            if tutoring.is_coordinator(current_user):
                year = selected_year(tutoring.board_work, today).year
                context["waiting_for_tutor"] = dashboard.waiting_for_tutor(year)
            if current_user.is_manager:
                context["year"] = selected_year(cohort_work, today).year
                context["desk"] = dashboard.secretariat_home(context["year"], today)
    if current_user.is_admin:
        context["user_counts"] = counts_by_role()
        context["track_counts"] = students_by_track()
    return render("home.html", **context)
