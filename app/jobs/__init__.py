"""Scheduled jobs (evaluations, statistics, directory sync) run by the worker, the CLI's
``run-due-jobs`` or, without Redis, a tick inside the serving process."""
from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/admin/taches")

from app.jobs import routes  # noqa: F401
