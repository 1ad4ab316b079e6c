"""Checking and storing uploads: the content decides the type, never the file name."""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata

from flask import Response, send_file
from flask_babel import gettext as _

from app.errors import DomainError
from app.extensions import db
from app.files.models import StoredFile

PDF_MAX_BYTES = 5 * 1024 * 1024


def safe_filename(name: str | None, default: str = "document.pdf") -> str:
    """A plain file name: no folders, no control characters, at most 120 characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[^\w.\- ()]", "_", name).strip(" .")
    return (name or default)[-120:]


def check_pdf(raw: bytes, max_bytes: int = PDF_MAX_BYTES, *, field: str = "cv",
              what: str = "votre CV") -> None:
    """A PDF within ``max_bytes``; the messages name ``what`` and attach to ``field``."""
    if not raw:
        raise DomainError(_("Le fichier est vide."), field)
    if len(raw) > max_bytes:
        raise DomainError(_("Le fichier dépasse %(max_bytes)s Mo.",
                          max_bytes=max_bytes // (1024 * 1024)), field)
    if not raw.startswith(b"%PDF-") or b"%%EOF" not in raw[-2048:]:
        raise DomainError(_("Ce fichier n’est pas un PDF valide : exportez %(what)s en PDF.",
                          what=what), field)


def read_upload(storage, max_bytes: int = PDF_MAX_BYTES) -> bytes:
    """Read at most ``max_bytes + 1`` bytes from an uploaded file."""
    return storage.read(max_bytes + 1)


def store_pdf(raw: bytes, filename: str | None, uploaded_by_id: int | None, *,
              field: str = "cv", what: str = "votre CV") -> StoredFile:
    """Check and add a PDF to the session (the caller commits with its own record)."""
    check_pdf(raw, field=field, what=what)
    name = safe_filename(filename)
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    stored = StoredFile(filename=name, content_type="application/pdf", size=len(raw),
                        sha256=hashlib.sha256(raw).hexdigest(), data=raw,
                        uploaded_by_id=uploaded_by_id)
    db.session.add(stored)
    return stored


def download(stored: StoredFile) -> Response:
    resp = send_file(io.BytesIO(stored.data), mimetype=stored.content_type, as_attachment=True,
                     download_name=stored.filename, max_age=0)
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
