from flask import Blueprint

bp = Blueprint("years", __name__, url_prefix="/annees")

from app.years import routes  # noqa: E402,F401
