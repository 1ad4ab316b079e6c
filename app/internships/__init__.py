from flask import Blueprint

bp = Blueprint("internships", __name__, url_prefix="/stages")

from app.internships import cohort_routes, routes  # noqa: E402,F401
