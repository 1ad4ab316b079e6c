from flask import Blueprint

bp = Blueprint("defenses", __name__, url_prefix="/soutenances")

from app.defenses import routes  # noqa: E402,F401
