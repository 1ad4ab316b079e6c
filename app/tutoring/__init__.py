from flask import Blueprint

bp = Blueprint("tutoring", __name__, url_prefix="/tutorat")

from app.tutoring import routes  # noqa: E402,F401
