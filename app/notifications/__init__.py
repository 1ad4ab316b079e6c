from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

# outbox: its after-commit dispatch listens to the session from the start
from app.notifications import outbox, routes  # noqa: E402,F401
