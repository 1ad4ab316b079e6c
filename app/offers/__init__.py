from flask import Blueprint

bp = Blueprint("offers", __name__, url_prefix="/offres")

from app.offers import routes  # noqa: E402,F401
