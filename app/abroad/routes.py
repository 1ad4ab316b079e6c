"""Internships abroad: the preparation checklist, the per-year mandatory items, the advice
per country. Thin: parse, call ``app.abroad.services``, render."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_login import current_user, login_required

from app.abroad import bp, services
from app.abroad.forms import AdviceForm, MandatoryForm, PreparationForm, TipForm
from app.accounts.models import MANAGERS
from app.files import services as files
from app.internships import services as internships
from app.rules import abroad as rules
from app.web.access import roles_required
from app.web.actions import action
from app.web.forms import int_or_none
from app.web.htmx import redirect_to, wants_fragment
from app.web.render import render
from app.years import services as years

ITEM_CODES = (*rules.ITEMS, "erasmus")


def _internship_or_404(internship_id: int):
    internship = internships.get(internship_id)
    if internship is None or not services.can_view(current_user, internship) \
            or not internship.is_abroad:
        abort(404)
    return internship


def _render_checklist(internship, form=None, item_code=None, status=200):
    c = services.checklist(internship)
    shown = PreparationForm(formdata=None, obj=c.prep)
    if form is not None:  # the item just posted keeps what was typed and its errors
        for name in ("file", *(rules.ITEMS[item_code][1] if item_code in rules.ITEMS else ())):
            if name in shown:
                shown[name].data, shown[name].errors = form[name].data, list(form[name].errors)
        shown.form_errors = list(form.form_errors)
    shown.version.data = str(c.prep.version_id) if c.prep else ""
    return render("abroad/checklist.html", block="checklist", c=c, form=shown,
                  error_item=item_code if form is not None and form.errors or
                  (form is not None and form.form_errors) else None,
                  can_edit=services.can_edit(current_user, internship), status=status)


@bp.get("/stage/<int:internship_id>")
@login_required
def checklist(internship_id: int):
    return _render_checklist(_internship_or_404(internship_id))


@bp.post("/stage/<int:internship_id>/<item>")
@roles_required("student", *MANAGERS)
def update_item(internship_id: int, item: str):
    internship = _internship_or_404(internship_id)
    if item not in ITEM_CODES:
        abort(404)
    if not services.can_edit(current_user, internship):
        abort(403)
    form = PreparationForm()
    if form.validate_on_submit():
        upload = None
        if item in services.FILE_ITEMS and form.file.data:
            upload = (files.read_upload(form.file.data), form.file.data.filename)
        data = {name: form[name].data for name in
                (rules.ITEMS[item][1] if item in rules.ITEMS else ("erasmus",))
                if name in form}
        with action(form) as act:
            services.update_item(internship, current_user, item, data,
                                 int_or_none(form.version.data), upload)
        if act.ok:
            if not wants_fragment():
                flash("Préparation enregistrée.", "success")
                return redirect_to(url_for("abroad.checklist", internship_id=internship_id))
            return _render_checklist(internships.get(internship_id))
    return _render_checklist(internships.get(internship_id), form, item)


@bp.get("/stage/<int:internship_id>/attestation/<item>")
@login_required
def certificate(internship_id: int, item: str):
    internship = _internship_or_404(internship_id)
    if item not in services.FILE_ITEMS:
        abort(404)
    prep = services.preparation_of(internship)
    stored = getattr(prep, services.FILE_ITEMS[item][0]) if prep else None
    if stored is None:
        abort(404)
    return files.download(stored)


@bp.route("/obligatoire", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def mandatory():
    all_years = years.all_years()
    chosen = int_or_none(request.values.get("annee"))
    year = next((y for y in all_years if y.id == chosen), all_years[0] if all_years else None)
    if year is None:
        abort(404)
    form = MandatoryForm()
    if request.method == "GET":
        form.mandatory.data = list(services.mandatory_for(year.id))
    elif form.validate_on_submit():
        services.set_mandatory(year.id, form.mandatory.data)
        flash(f"Éléments obligatoires de l’année {year.label} enregistrés.", "success")
        return redirect_to(url_for("abroad.mandatory", annee=year.id))
    return render("abroad/mandatory.html", form=form, year=year, years=all_years)


@bp.route("/pays", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def countries():
    form = AdviceForm()
    if request.method == "POST" and form.validate_on_submit():
        with action(form) as act:
            advice = services.save_advice(form.country.data, form.level.data, form.note.data,
                                          form.pay_rule.data)
        if act.ok:
            flash(f"Avis pour {advice.country} enregistré.", "success")
            return redirect_to(url_for("abroad.countries"))
    elif request.method == "GET":
        form = AdviceForm(formdata=None)
        edited = services.advice_for(request.args.get("pays"))
        if edited is not None:
            form.country.data, form.level.data, form.note.data = (edited.country, edited.level,
                                                                  edited.note)
            form.pay_rule.data = edited.pay_rule
    return render("abroad/countries.html", form=form, advice=services.all_advice(),
                  levels=rules.LEVELS, effects=rules.EFFECTS)


@bp.post("/pays/<int:advice_id>/supprimer")
@roles_required(*MANAGERS)
def delete_country(advice_id: int):
    services.delete_advice(advice_id)
    flash("Avis supprimé.", "success")
    return redirect_to(url_for("abroad.countries"))


# ---------------------------------------------------------------- country guides

@bp.get("/guides")
@login_required
def guides():
    mine = services.own_internships_abroad(current_user) if current_user.is_student else []
    return render("abroad/guides.html", countries=services.guide_countries(), mine=mine,
                  my_tips=services.tips_of(current_user) if mine else [],
                  kinds=rules.TIP_KINDS)


@bp.get("/guides/<country>")
@login_required
def guide(country: str):
    return render("abroad/guide.html", guide=services.guide(country[:80]),
                  kinds=rules.TIP_KINDS)


@bp.route("/guides/ecrire/<int:internship_id>", methods=["GET", "POST"])
@roles_required("student")
def write_tip(internship_id: int):
    internship = internships.get(internship_id)
    if internship is None or internship.student_id != current_user.id \
            or not internship.is_abroad:
        abort(404)
    form = TipForm()
    if request.method == "GET":
        form = TipForm(formdata=None, city=internship.host.city)
    elif form.validate_on_submit():
        with action(form) as act:
            services.propose_tip(current_user, internship, {
                "kind": form.kind.data, "city": form.city.data, "body": form.body.data,
                "contact": form.contact.data})
        if act.ok:
            flash("Merci : votre conseil sera publié une fois relu par l’équipe.", "success")
            return redirect_to(url_for("abroad.guides"))
    return render("abroad/write_tip.html", form=form, internship=internship)


@bp.app_template_global("country_guide_count")
def country_guide_count(country: str | None) -> int:
    """For the « Conseils pour <pays> » block of offers and hosts abroad (one query)."""
    return services.guide_count(country)
