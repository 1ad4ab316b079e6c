from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from flask import abort, flash, request, url_for
from flask_login import current_user, login_required

from app.exports.views import export_or_background
from app.extensions import db
from app.hosts.services import host_choices
from app.offers import bp, services
from app.offers.forms import OfferFilterForm, OfferForm
from app.offers.models import STATUSES, Offer
from app.web.access import staff_required
from app.web.actions import action
from app.web.forms import int_or_none
from app.web.htmx import redirect_to, wants_fragment
from app.web.pagination import paginate
from app.web.picker import fill
from app.web.render import render


def _search_from_request() -> tuple[OfferFilterForm, services.OfferSearch]:
    form = OfferFilterForm(request.args, id_prefix="offer", domains=services.domains(),
                           countries=services.foreign_countries())
    search = services.OfferSearch(
        q=form.value("q") or "",
        domain=form.value("domain") or "",
        where=form.value("where") or "",
        remote=bool(form.value("remote")),
        start_month=form.start_month(),
        min_pay=form.value("min_pay"),
        status=(form.value("status") or "") if current_user.is_staff else "",
        sort=form.value("sort") or "recent",
    )
    return form, search


@bp.get("/")
@login_required
def index():
    form, search = _search_from_request()
    page = paginate(services.offers_query(search, current_user.is_staff, date.today()))
    return render("offers/index.html", block="results", form=form, page=page,
                  domains=services.domains(), today=date.today())


@bp.route("/export.<fmt>", methods=["GET", "POST"])
@staff_required
def export(fmt: str):
    _, search = _search_from_request()
    params = asdict(search)
    params["min_pay"] = None if search.min_pay is None else str(search.min_pay)
    return export_or_background(fmt, "offers", "offres", params,
                                services.offers_query(search, staff=True))


def export_rows(params: dict):
    """The offers as the staff's list filters them, as a file (at once, or in the
    background: 50,000 offers at a university)."""
    params = dict(params)
    params["start_month"] = tuple(params["start_month"]) if params.get("start_month") else None
    params["min_pay"] = Decimal(params["min_pay"]) if params.get("min_pay") else None
    search = services.OfferSearch(**params)
    offers = db.session.execute(services.offers_query(search, staff=True)).unique().scalars()
    domains = services.domains()
    rows = ((o.id, o.title, o.host.name, domains.get(o.domain, o.domain), o.city, o.country,
             o.remote, o.start_date, o.duration_weeks, o.weekly_hours, o.gratification_monthly,
             o.deadline, o.status_label) for o in offers)
    return ["N°", "Intitulé", "Organisme", "Domaine", "Ville", "Pays", "Télétravail", "Début",
            "Semaines", "Heures/semaine", "Gratification mensuelle", "Date limite",
            "Statut"], rows, 0


def _form(offer: Offer | None = None) -> OfferForm:
    form = OfferForm(obj=offer, domains=services.domains())
    fill(form.host_id, host_choices)
    return form


def _data(form: OfferForm) -> services.OfferData:
    return services.OfferData(
        title=form.title.data or "", host_id=form.host_id.data or None,
        domain=form.domain.data or "", description=form.description.data or "",
        city=form.city.data or "", country=form.country.data or "",
        missions=form.missions.data, remote=form.remote.data,
        start_date=form.start_date.data, duration_weeks=form.duration_weeks.data,
        weekly_hours=form.weekly_hours.data,
        gratification_monthly=form.gratification_monthly.data, deadline=form.deadline.data,
        contact_name=form.contact_name.data, contact_email=form.contact_email.data,
    )



@bp.route("/nouvelle", methods=["GET", "POST"])
@staff_required
def new():
    form = _form()
    host_id = int_or_none(request.args.get("host"))
    if request.method == "GET" and host_id is not None:
        form.host_id.data = host_id
        fill(form.host_id, host_choices)
    if form.validate_on_submit():
        with action(form) as act:
            offer = services.create_offer(_data(form), current_user)
        if act.ok:
            flash("Offre enregistrée en brouillon. Publiez-la pour que les étudiants la voient.",
                  "success")
            return redirect_to(url_for("offers.show", offer_id=offer.id))
    return render("offers/form.html", block="offer_form", form=form, offer=None)


def _offer_or_404(offer_id: int) -> Offer:
    offer = services.offer_for_viewer(offer_id, current_user.is_staff)
    if offer is None and current_user.is_student:
        from app.applications import services as applications

        offer = applications.offer_applied_to(current_user, offer_id)  # closed since
    return offer or abort(404)


@bp.get("/<int:offer_id>")
@login_required
def show(offer_id: int):
    from app.applications import services as applications
    from app.applications.models import STATUSES as APPLICATION_STATUSES

    offer = _offer_or_404(offer_id)
    today = date.today()
    context = {}
    if current_user.is_staff:
        scope = applications.StaffFilters(offer_id=offer.id)
        context.update(applications=applications.of_offer(offer),
                       application_counts=applications.counts(scope),
                       application_statuses=APPLICATION_STATUSES)
    else:
        context.update(my_application=applications.existing(current_user, offer),
                       refusal=applications.refusal(current_user, offer, today))
    from app.feedback.services import published_for_host

    return render("offers/show.html", offer=offer, today=today, domains=services.domains(),
                  host_feedback=published_for_host(offer.host_id), **context)


@bp.route("/<int:offer_id>/modifier", methods=["GET", "POST"])
@staff_required
def edit(offer_id: int):
    offer = _offer_or_404(offer_id)
    form = _form(offer)
    if request.method == "GET":
        form.version.data = str(offer.version_id)
    if form.validate_on_submit():
        with action(form) as act:
            services.update_offer(offer, _data(form), int_or_none(form.version.data))
        if act.ok:
            flash("Offre mise à jour.", "success")
            return redirect_to(url_for("offers.show", offer_id=offer.id))
    return render("offers/form.html", block="offer_form", form=form, offer=offer)


@bp.post("/<int:offer_id>/statut")
@staff_required
def set_status(offer_id: int):
    offer = _offer_or_404(offer_id)
    new_status = request.form.get("status", "")
    warnings = []
    with action() as act:
        warnings = services.change_status(offer, new_status,
                                          int_or_none(request.form.get("version")),
                                          date.today())
    if not act.ok:
        offer = _offer_or_404(offer_id)
    if not wants_fragment():
        if act.ok:
            flash(f"Offre : {STATUSES[offer.status].lower()}.", "success")
        for warning in warnings:
            flash(warning, "info")
        return redirect_to(url_for("offers.show", offer_id=offer.id))
    return render("offers/show.html", block="status_panel", offer=offer, status_error=act.error,
                  status_warnings=warnings,
                  today=date.today(), domains=services.domains())
