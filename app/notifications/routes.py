from __future__ import annotations

from flask import url_for
from flask_login import current_user, login_required

from app.notifications import bp, services
from app.web.htmx import redirect_to
from app.web.render import render


@bp.get("/")
@login_required
def index():
    return render("notifications/index.html", notifications=services.latest(current_user))


@bp.post("/lues")
@login_required
def mark_read():
    services.mark_all_read(current_user)
    return redirect_to(url_for("notifications.index"))
