from flask import Blueprint

bp = Blueprint("figures", __name__, url_prefix="/statistiques")

from app.figures import routes  # noqa: F401
