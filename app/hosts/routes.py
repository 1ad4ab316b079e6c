from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import MANAGERS
from app.exports.views import export_or_background
from app.extensions import db
from app.hosts import bp, services
from app.hosts.forms import ContactForm, HostFilterForm, HostForm
from app.hosts.models import Host
from app.offers.services import visible_offers_of_host
from app.web.access import roles_required, staff_required
from app.web.actions import action
from app.web.htmx import redirect_to, wants_fragment
from app.web.pagination import paginate
from app.web.render import render


def _filters() -> HostFilterForm:
    return HostFilterForm(request.args, id_prefix="host")


def _host_or_404(host_id: int) -> Host:
    host = db.session.execute(
        select(Host).options(selectinload(Host.contacts)).where(Host.id == host_id)
    ).scalar_one_or_none()
    return host or abort(404)


def _data(form: HostForm) -> services.HostData:
    return services.HostData(
        name=form.name.data or "", city=form.city.data or "", country=form.country.data or "",
        siret=form.siret.data or None, foreign_id=form.foreign_id.data,
        address=form.address.data, sector=form.sector.data,
        headcount=form.headcount.data, website=form.website.data,
        description=form.description.data,
    )


@bp.get("/")
@login_required
def index():
    filters = _filters()
    page = paginate(services.hosts_query(**filters.values()))
    return render("hosts/index.html", block="results", page=page, filters=filters)


@bp.get("/choix")
@login_required
def choices():
    """The host picker's options for what is typed (offers, internships, apprenticeships,
    good practices)."""
    from app.web.picker import options_response

    return options_response(services.host_choices, ("host_id", "employer_id"))


@bp.route("/export.<fmt>", methods=["GET", "POST"])
@staff_required
def export(fmt: str):
    filters = _filters().values()
    return export_or_background(fmt, "hosts", "organismes", filters,
                                services.hosts_query(**filters))


def export_rows(filters: dict):
    hosts = db.session.execute(services.hosts_query(**filters)).scalars()
    rows = ((h.name, h.siret, h.city, h.country, h.sector, h.headcount, h.website)
            for h in hosts)
    return ["Nom", "SIRET", "Ville", "Pays", "Secteur", "Effectif", "Site web"], rows, 0



@bp.route("/nouveau", methods=["GET", "POST"])
@staff_required
def new():
    form = HostForm()
    if form.validate_on_submit():
        with action(form) as act:
            host = services.create_host(_data(form))
        if act.ok:
            flash(f"Organisme « {host.name} » ajouté.", "success")
            return redirect_to(url_for("hosts.show", host_id=host.id))
    return render("hosts/form.html", block="host_form", form=form, host=None)


@bp.get("/<int:host_id>")
@login_required
def show(host_id: int):
    host = _host_or_404(host_id)
    from app.feedback.services import published_for_host

    return render("hosts/show.html", host=host, contact_form=ContactForm(),
                  offers=visible_offers_of_host(host, staff=current_user.is_staff),
                  host_feedback=published_for_host(host.id))


@bp.post("/<int:host_id>/verifie")
@roles_required(*MANAGERS)
def mark_checked(host_id: int):
    host = _host_or_404(host_id)
    with action(inline=False) as act:
        services.mark_checked(host, current_user)
    if act.ok:
        flash("Fiche de l’organisme vérifiée.", "success")
    return redirect_to(url_for("hosts.show", host_id=host.id))


@bp.route("/<int:host_id>/modifier", methods=["GET", "POST"])
@staff_required
def edit(host_id: int):
    host = _host_or_404(host_id)
    form = HostForm(obj=host)
    if request.method == "GET":
        form.version.data = str(host.version_id)
    if form.validate_on_submit():
        try:
            version = int(form.version.data or 0)
        except ValueError:
            version = None
        with action(form) as act:
            services.update_host(host, _data(form), version)
        if act.ok:
            flash("Organisme mis à jour.", "success")
            return redirect_to(url_for("hosts.show", host_id=host.id))
    return render("hosts/form.html", block="host_form", form=form, host=host)


@bp.post("/<int:host_id>/contacts")
@staff_required
def add_contact(host_id: int):
    host = _host_or_404(host_id)
    form = ContactForm()
    if form.validate_on_submit():
        with action(form) as act:
            services.add_contact(host, form.name.data, form.position.data, form.email.data,
                                 form.phone.data)
        if act.ok:
            if not wants_fragment():
                flash("Contact ajouté.", "success")
                return redirect_to(url_for("hosts.show", host_id=host_id))
            form = ContactForm(formdata=None)
    if not wants_fragment():
        return render("hosts/show.html", host=host, contact_form=form,
                      offers=visible_offers_of_host(host, staff=True))
    return render("hosts/show.html", block="contacts", host=host, contact_form=form)


@bp.post("/<int:host_id>/contacts/<int:contact_id>/supprimer")
@staff_required
def remove_contact(host_id: int, contact_id: int):
    host = _host_or_404(host_id)
    with action() as act:   # a fragment shows its message in the contacts block
        services.remove_contact(host, contact_id)
    if not wants_fragment():
        return redirect_to(url_for("hosts.show", host_id=host_id))
    return render("hosts/show.html", block="contacts", host=host, contact_form=ContactForm(),
                  action_error=act.error)
