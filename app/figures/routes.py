from __future__ import annotations

from flask import abort

from app.evaluations.models import RATINGS
from app.figures import bp, services
from app.offers.services import domains
from app.rules.charts import bar_chart, share_chart
from app.web.access import staff_required
from app.web.exports import export_response
from app.web.formatting import money
from app.web.render import render
from app.web.years import selected_year


def _year():
    """The statistics' year: ``year`` in the address, else the year whose defences and
    evaluations are not over (its figures still move)."""
    from app.defenses.services import year_work

    choice = selected_year(year_work)
    return choice.year, choice


@bp.get("/")
@staff_required
def index():
    year, choice = _year()
    f = services.compute(year, choice.today, domains())
    charts = {
        "domain": bar_chart("Stages par domaine", f.by_domain),
        "country": bar_chart("Stages par pays", f.by_country),
        "hosts": bar_chart("Organismes qui accueillent le plus", f.top_hosts),
        "gratification": bar_chart("Gratification des stages où elle est due", [
            ("Convenue ou versée", float(f.agreed_total)), ("Minimum légal", float(f.legal_total))],
            fmt=lambda v: money(v)),
        "objectives_cohort": share_chart("Objectifs atteints par promotion",
                                         f.objectives_by_cohort, RATINGS),
        "objectives_domain": share_chart("Objectifs atteints par domaine",
                                         f.objectives_by_domain, RATINGS),
        "per_domain": bar_chart("Candidatures par stage trouvé, par domaine",
                                f.per_domain_applications),
    }
    return render("figures/index.html", block="figures", f=f, charts=charts, year=year,
                  choice=choice, ratings=RATINGS)


@bp.get("/export.<fmt>")
@staff_required
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    year, choice = _year()
    f = services.compute(year, choice.today, domains())
    rows = [("Stages", "total", f.internships)]
    rows += [("Stages par domaine", k, v) for k, v in f.by_domain]
    rows += [("Stages par pays", k, v) for k, v in f.by_country]
    rows += [("Organismes", k, v) for k, v in f.top_hosts]
    rows += [("Gratification", "stages où elle est due", f.due),
             ("Gratification", "convenue ou versée (€)", f.agreed_total),
             ("Gratification", "minimum légal (€)", f.legal_total),
             ("Gratification", "stages sous le minimum", f.below_minimum),
             ("Gratification", "stages à l’étranger (information)", f.abroad),
             ("Recherche", "délai médian (jours)", f.median_days_to_find),
             ("Recherche", "candidatures par stage trouvé", f.applications_per_placement)]
    for label, groups in (("Objectifs par promotion", f.objectives_by_cohort),
                          ("Objectifs par domaine", f.objectives_by_domain)):
        for group, parts in groups:
            rows += [(label, f"{group} — {RATINGS[k]}", parts.get(k, 0)) for k in RATINGS]
    return export_response(fmt, f"statistiques-{year.label}", ["Rubrique", "Élément", "Valeur"],
                           rows)
