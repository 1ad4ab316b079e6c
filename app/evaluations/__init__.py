from flask import Blueprint

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")

from app.evaluations import routes  # noqa: E402,F401
