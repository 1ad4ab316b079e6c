"""Exports produced in the background (more than ``EXPORT_BACKGROUND_ROWS`` rows): a stored
file, a page with its progress, a download link for the requester only."""
from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/exports")

from app.exports import routes  # noqa: F401
