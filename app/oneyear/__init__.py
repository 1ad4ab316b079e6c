from flask import Blueprint

bp = Blueprint("oneyear", __name__, url_prefix="/un-an-apres")

from app.oneyear import routes  # noqa: F401
