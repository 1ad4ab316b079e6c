"""CSV and XLSX downloads of the lists staff use. The formats themselves (French Excel's
CSV, typed XLSX cells, formula guard) are app/exports/formats.py.

Routes declare ``/export.<fmt>`` and pass ``fmt`` through: an unknown format is a 404 here.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask import Response, abort

from app.exports.formats import CSV_MIME, FORMATS, XLSX_MIME, csv_body, xlsx_body


def export_response(
    fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> Response:
    """``rows`` as a ``fmt`` file (``csv`` or ``xlsx``) to download; any other format is a 404.

    ``rows`` is read once, as it comes: pass a generator over the query, not a list."""
    if fmt not in FORMATS:
        abort(404)
    if fmt == "xlsx":
        body, mime = xlsx_body(filename, headers, rows), XLSX_MIME
    else:
        body, mime = csv_body(headers, rows), CSV_MIME
    # content_type, not mimetype: werkzeug would add a second "; charset=utf-8" to a text/ type
    resp = Response(body, content_type=mime)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp
