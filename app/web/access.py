"""Access decorators. Every route states who may use it; objects are checked in services."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from app.accounts.models import ADMIN, MANAGERS, SECRETARIAT, STAFF, STUDENT, TEACHER  # noqa: F401
from app.extensions import login_manager


def roles_required(*roles: str):
    """Logged-in users of one of ``roles``; others get 403, anonymous users the login page."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # read by the route walk in the tests
        return wrapped

    return decorator


def staff_required(view):
    return roles_required(*STAFF)(view)


def admin_required(view):
    return roles_required(ADMIN)(view)
