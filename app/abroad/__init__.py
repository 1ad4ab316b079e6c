from flask import Blueprint

bp = Blueprint("abroad", __name__, url_prefix="/etranger")

from app.abroad import routes  # noqa: F401
