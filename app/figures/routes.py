from __future__ import annotations

from flask import abort, current_app, flash, url_for

from app.evaluations.models import RATINGS
from app.figures import bp, services
from app.offers.services import domains
from app.oneyear.services import counts as one_year_counts
from app.rules.charts import bar_chart, share_chart
from app.web.access import staff_required
from app.web.exports import export_response
from app.web.formatting import money, number
from app.web.htmx import redirect_to
from app.web.render import render
from app.web.years import selected_year


def _year():
    """The statistics' year: ``year`` in the address, else the year whose defences and
    evaluations are not over (its figures still move)."""
    from app.defenses.services import year_work

    choice = selected_year(year_work)
    return choice.year, choice


def _hosts_caption(f) -> str:
    caption = "Organismes qui accueillent le plus de stages"
    if f.hosts > len(f.top_hosts):
        caption += f" : les {len(f.top_hosts)} premiers sur {f.hosts}"
    return caption


def _figures(year, today):
    return services.figures_of(year, today, domains(),
                               current_app.config["FIGURES_MAX_AGE_SECONDS"])


@bp.get("/")
@staff_required
def index():
    year, choice = _year()
    kept = _figures(year, choice.today)
    f = kept.figures
    charts = {
        "domain": bar_chart("Stages par domaine", f.by_domain, ("Domaine", "Stages")),
        "country": bar_chart("Stages par pays", f.by_country, ("Pays", "Stages")),
        "hosts": bar_chart(_hosts_caption(f), f.top_hosts, ("Organisme", "Stages")),
        "gratification": bar_chart("Gratification des stages où elle est due, en tout", [
            ("Convenue ou versée", f.agreed_total), ("Minimum légal", f.legal_total)],
            ("Gratification", "Montant"), fmt=money),
        "objectives_cohort": share_chart("Objectifs atteints par promotion",
                                         f.objectives_by_cohort, RATINGS,
                                         ("Promotion", "Objectifs")),
        "objectives_domain": share_chart("Objectifs atteints par domaine",
                                         f.objectives_by_domain, RATINGS,
                                         ("Domaine", "Objectifs")),
        "per_domain": bar_chart("Candidatures par stage trouvé, par domaine",
                                f.per_domain_applications,
                                ("Domaine", "Candidatures par stage"),
                                fmt=lambda v: number(v, 1)),
    }
    return render("figures/index.html", block="figures", f=f, charts=charts, year=year,
                  choice=choice, ratings=RATINGS, oneyear=one_year_counts(year),
                  computed_at=kept.computed_at,
                  max_age=current_app.config["FIGURES_MAX_AGE_SECONDS"])


@bp.post("/recalculer")
@staff_required
def recompute():
    """Count again now (after a correction the staff want to see at once)."""
    year, choice = _year()
    services.refresh(year, choice.today, domains())
    flash("Statistiques recalculées.", "success")
    return redirect_to(url_for("figures.index", year=year.start_year))


@bp.get("/export.<fmt>")
@staff_required
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    year, choice = _year()
    f = _figures(year, choice.today).figures
    rows = [("Stages", "total", f.internships)]
    rows += [("Stages par domaine", k, v) for k, v in f.by_domain]
    rows += [("Stages par pays", k, v) for k, v in f.by_country]
    hosts = (f"Organismes (les {len(f.top_hosts)} premiers sur {f.hosts})"
             if f.hosts > len(f.top_hosts) else "Organismes")
    rows += [(hosts, k, v) for k, v in f.top_hosts]
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
            rows.append((label, f"{group} — objectifs évalués", sum(parts.values())))
    later = one_year_counts(year)
    rows += [("Un an après", "stages interrogés", later.asked),
             ("Un an après", "stages avec au moins une réponse", later.answered),
             ("Un an après", "stages ayant conduit à une bonne pratique publiée",
              later.practices)]
    return export_response(fmt, f"statistiques-{year.label}", ["Rubrique", "Élément", "Valeur"],
                           rows)
