from __future__ import annotations

from flask import abort, send_file
from flask_login import current_user, login_required

from app.exports import bp, services
from app.exports.formats import CSV_MIME, XLSX_MIME
from app.web.render import render


def _own_or_404(export_id: int):
    return services.own(export_id, current_user) or abort(404)


@bp.get("/<int:export_id>")
@login_required
def show(export_id: int):
    job = _own_or_404(export_id)
    return render("exports/show.html", block="export_status", job=job)


@bp.get("/<int:export_id>/fichier")
@login_required
def download(export_id: int):
    job = _own_or_404(export_id)
    path = services.path_of(job)
    if job.status != "done" or not path.exists():
        abort(404)
    resp = send_file(path, as_attachment=True, download_name=f"{job.filename}.{job.fmt}")
    # one charset: werkzeug would add a second one to a text/ mimetype
    resp.headers["Content-Type"] = CSV_MIME if job.fmt == "csv" else XLSX_MIME
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
