from flask import Blueprint

bp = Blueprint("accounts", __name__)

from app.accounts import cas_routes, routes  # noqa: E402,F401
