from __future__ import annotations

from flask import abort, flash, request, url_for

from app.accounts.models import MANAGERS
from app.extensions import db
from app.web.access import roles_required
from app.web.actions import action
from app.web.htmx import redirect_to, wants_fragment
from app.web.render import render
from app.years import bp, services
from app.years.forms import RateForm, YearForm
from app.years.models import AcademicYear


def _data(form: YearForm) -> services.YearData:
    return services.YearData(start_year=form.start_year.data,
                             earliest_start=form.earliest_start.data,
                             min_weeks=form.min_weeks.data, max_weeks=form.max_weeks.data,
                             tutee_limit=form.tutee_limit.data,
                             programme_hours=form.programme_hours.data,
                             defense_gap_days=form.defense_gap_days.data or 0)


@bp.get("/")
@roles_required(*MANAGERS)
def index():
    return render("years/index.html", years=services.all_years(), rates=services.rate_rows(),
                  rate_form=RateForm(formdata=None))


@bp.route("/nouvelle", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new():
    form = YearForm()
    if form.validate_on_submit():
        with action(form) as act:
            services.create_year(_data(form))
        if act.ok:
            flash("Année universitaire créée.", "success")
            return redirect_to(url_for("years.index"))
    return render("years/form.html", block="year_form", form=form, year=None)


@bp.route("/<int:year_id>/modifier", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(year_id: int):
    year = db.session.get(AcademicYear, year_id) or abort(404)
    form = YearForm(obj=year)
    if request.method == "GET":
        form.version.data = str(year.version_id)
    if form.validate_on_submit():
        try:
            version = int(form.version.data or 0)
        except ValueError:
            version = None
        with action(form) as act:
            services.update_year(year, _data(form), version)
        if act.ok:
            flash(f"Année {year.label} mise à jour.", "success")
            return redirect_to(url_for("years.index"))
    return render("years/form.html", block="year_form", form=form, year=year)


@bp.post("/taux")
@roles_required(*MANAGERS)
def set_rate():
    form = RateForm()
    if form.validate_on_submit():
        with action(form) as act:
            services.set_rate(form.year.data, form.hourly_rate.data)
        if act.ok:
            if not wants_fragment():
                flash("Taux enregistré.", "success")
                return redirect_to(url_for("years.index"))
            form = RateForm(formdata=None)
    return render("years/index.html", block="rates", years=services.all_years(),
                  rates=services.rate_rows(), rate_form=form)
