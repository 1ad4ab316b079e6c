from flask import Blueprint

bp = Blueprint("grants", __name__, url_prefix="/bourses")

from app.grants import routes  # noqa: F401
