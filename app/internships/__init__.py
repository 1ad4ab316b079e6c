from flask import Blueprint

bp = Blueprint("internships", __name__, url_prefix="/stages")

from app.internships import routes  # noqa: E402,F401
