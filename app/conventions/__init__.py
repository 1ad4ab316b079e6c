from flask import Blueprint

bp = Blueprint("conventions", __name__, url_prefix="/conventions")

from app.conventions import routes  # noqa: E402,F401
