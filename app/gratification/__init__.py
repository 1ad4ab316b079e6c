from flask import Blueprint

bp = Blueprint("gratification", __name__)

from app.gratification import routes  # noqa: E402,F401
