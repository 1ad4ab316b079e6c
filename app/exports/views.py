"""The lists' export views: the file at once, or, over ``EXPORT_BACKGROUND_ROWS`` rows, a
background export and its page. A background export writes (a job, a file): the link shows
what it will do and a button sends it (POST, with its CSRF token); a GET never starts one."""
from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user

from app.exports import services
from app.exports.formats import FORMATS
from app.web.exports import export_response
from app.web.htmx import redirect_to
from app.web.render import render


def export_or_background(fmt: str, kind: str, filename: str, filters: dict, stmt):
    """``kind``'s export (``services.KINDS``) of the rows of ``stmt``."""
    if fmt not in FORMATS:
        abort(404)
    total = services.count(stmt)
    if services.is_large(total):
        if request.method != "POST":
            return render("exports/confirm.html", total=total, fmt=fmt, filename=filename,
                          action=request.full_path)
        job = services.start(current_user, kind, fmt, filename, filters, total)
        return redirect_to(url_for("exports.show", export_id=job.id))
    headers, rows, _ = services.builder(kind)(filters)
    return export_response(fmt, filename, headers, rows)
