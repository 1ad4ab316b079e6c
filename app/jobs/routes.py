from __future__ import annotations

from app.jobs import bp, services
from app.rules.schedule import JOBS, LABELS
from app.web.access import admin_required
from app.web.render import render


@bp.get("/")
@admin_required
def index():
    return render("jobs/index.html", runs=services.recent(), labels=LABELS, jobs=JOBS)
