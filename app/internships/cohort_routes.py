"""The BUT3 cohort's follow-up (the department's list, by stage of the search) and the
internships' exports (``export_rows`` builds the year's file, at once or in the
background)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import request
from flask_login import current_user

from app.access import opener
from app.errors import DomainError
from app.exports.views import export_or_background
from app.extensions import db
from app.internships import bp, services
from app.internships.forms import CohortFilterForm
from app.rules.calendar import length_in_weeks
from app.tutoring.services import volunteered_for, without_tutor
from app.web.access import staff_required
from app.web.exports import export_response
from app.web.pagination import page_of
from app.web.render import render
from app.web.years import selected_year
from app.years import services as years
from app.years.models import AcademicYear


def _cohort_filters() -> CohortFilterForm:
    return CohortFilterForm(request.args, id_prefix="cohort")


def _selected_year() -> tuple:
    """The follow-up's year: ``year`` in the address, else the year whose internships are
    not over (``app.web.years``)."""
    choice = selected_year(services.cohort_work)
    return choice.year, choice, choice.today


@bp.get("/suivi")
@staff_required
def cohort():
    year, choice, today = _selected_year()
    filters = _cohort_filters()
    view = request.args.get("view", "")
    wanted = {k: v or None for k, v in filters.values().items()}
    counts = services.cohort_counts(year, today, q=wanted["q"], group=wanted["group"])
    total = sum(counts[s] for s in services.cohort_stages(wanted["stage"], view))
    page = page_of(total, lambda limit, offset: services.cohort_rows(
        year, today, **wanted, view=view, limit=limit, offset=offset), work_list=True)
    apprentices, apprentice_total = services.cohort_apprentices(
        q=wanted["q"], group=wanted["group"], limit=page.per_page)
    # Need to know: the list is the department's, the internship pages only for those
    # concerned; a teacher offers to tutor those of this year who have no tutor from here.
    volunteer_for = (without_tutor(year, [r.student.id for r in page.items if r.internship])
                     if current_user.role == "teacher"
                     and year.id == years.current_year(today).id else set())
    return render("internships/cohort.html", block="cohort_results", rows=page.items,
                  can_open=opener(current_user), volunteer_for=volunteer_for,
                  offered=volunteered_for(current_user, year, volunteer_for),
                  page=page, counts=counts, apprentices=apprentices,
                  apprentice_total=apprentice_total,
                  year=year, choice=choice, filters=filters,
                  stages=services.STAGES, view=view,
                  days_left=(year.earliest_start - today).days, today=today)


@bp.get("/suivi/export.<fmt>")
@staff_required
def cohort_export(fmt: str):
    year, _years, today = _selected_year()
    wanted = {k: v or None for k, v in _cohort_filters().values().items()}
    rows = services.cohort_rows(year, today, **wanted, view=request.args.get("view"))
    apprentices, _total = services.cohort_apprentices(q=wanted["q"], group=wanted["group"])
    out = cohort_rows(rows, apprentices)
    return export_response(fmt, f"suivi-but3-{year.label}", COHORT_HEADER, out)


@bp.route("/export.<fmt>", methods=["GET", "POST"])
@staff_required
def export(fmt: str):
    year, _years, today = _selected_year()
    return export_or_background(fmt, "internships", f"stages-{year.label}",
                                {"year_id": year.id, "today": today.isoformat()},
                                services.internships_query(year))


COHORT_HEADER = ["Nom", "Prénom", "Email", "Groupe", "Parcours", "Étape", "Organisme", "Ville",
                 "Pays", "Début", "Fin"]


def cohort_rows(rows: list[services.CohortRow], apprentices) -> list[tuple]:
    """The follow-up's rows, then the apprentices (who have no internship)."""
    out = []
    for r in rows:
        i = r.internship
        out.append((r.student.last_name, r.student.first_name, r.student.email,
                    r.student.group_name, "Formation initiale", r.stage_label,
                    i.host.name if i else None, i.host.city if i else None,
                    i.country if i else None, i.start_date if i else None,
                    i.end_date if i else None))
    for s in apprentices:
        out.append((s.last_name, s.first_name, s.email, s.group_name, "Alternance",
                    "Alternance", None, None, None, None, None))
    return out


def export_rows(params: dict):
    """The year's internships with their presence and gratification, as a file (at once, or
    by the background export: a university's year computes 20,000 gratifications)."""
    year = db.session.get(AcademicYear, params["year_id"])
    today = date.fromisoformat(params["today"])
    rate_table = years.rates()

    def rows():
        for i in db.session.execute(services.internships_query(year)).unique().scalars():
            try:
                g = services.gratification_of(i, today, rate_table)
            except DomainError:
                g = None
            yield (
                i.student.last_name, i.student.first_name, i.student.group_name, i.host.name,
                i.host.city, i.country, i.start_date, i.end_date,
                length_in_weeks(i.start_date, i.end_date).quantize(Decimal("0.1")),
                g.hours if g else None, (g.due if g else None), (g.legal_total if g else None),
                i.agreed_amount,
                i.agreed_unit and {"hour": "heure", "month": "mois"}[i.agreed_unit],
                i.host_tutor_name, i.status_label)

    return (["Nom", "Prénom", "Groupe", "Organisme", "Ville", "Pays", "Début", "Fin",
             "Semaines", "Heures de présence", "Gratification due", "Minimum légal (€)",
             "Gratification convenue", "Par", "Tuteur organisme", "Statut"], rows(), 0)
