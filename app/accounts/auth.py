"""Flask-Login wiring: load the user, answer anonymous requests, end sessions.

A session carries the user's ``session_generation`` of its login and the time of its last
request. It is refused when the user's generation has moved on since (a password change, a
deactivation, a logout, « se déconnecter de tous les appareils ») or when it was left idle
longer than ``SESSION_IDLE_MINUTES``.
"""
from __future__ import annotations

import time

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_login import login_user, logout_user

from app.accounts.models import CasSession, User
from app.extensions import db, login_manager
from app.web.htmx import is_htmx, redirect_to_login, return_path

login_manager.login_view = "accounts.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"

GENERATION = "_generation"
SEEN = "_seen"
CAS_TICKET = "_cas_ticket"  # the service ticket of a session opened through the CAS
SEEN_STEP = 60  # seconds: the last-seen time is rewritten at most once a minute
EXPIRED_MESSAGE = "Votre session a expiré. Reconnectez-vous pour continuer."
ENDED_MESSAGE = "Votre session a été fermée. Reconnectez-vous pour continuer."


def clock() -> float:
    """Seconds since the epoch (tests replace it to move time forward)."""
    return time.time()


def start_session(user: User) -> None:
    """Log ``user`` in on this browser, with the current generation."""
    login_user(user)
    keep_session(user)


def keep_session(user: User) -> None:
    """This session stays valid after ``user``'s generation moved (its own password change)."""
    session[GENERATION] = user.session_generation
    session[SEEN] = int(clock())


def end_session() -> None:
    logout_user()
    session.pop(GENERATION, None)
    session.pop(SEEN, None)
    session.pop(CAS_TICKET, None)


def _refuse(reason: str) -> None:
    """Forget the session's login from inside the user loader (``logout_user`` would call the
    loader again), and any remember-me cookie with it."""
    g.session_refused = reason
    for key in ("_user_id", "_fresh", "_id", GENERATION, SEEN, CAS_TICKET):
        session.pop(key, None)
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        session["_remember"] = "clear"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError, OverflowError):
        return None
    if user is None or not user.active:
        return None  # a deactivated account is logged out at its next request
    if session.get(GENERATION) != user.session_generation:
        # Ended elsewhere, or a session without a generation (a remember-me cookie, or one
        # made before generations existed)
        _refuse(ENDED_MESSAGE)
        return None
    ticket = session.get(CAS_TICKET)
    if ticket and db.session.get(CasSession, ticket) is None:
        _refuse(ENDED_MESSAGE)  # the CAS's single logout ended it
        return None
    now = int(clock())
    seen = session.get(SEEN)
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if not isinstance(seen, int) or now - seen > idle:
        _refuse(EXPIRED_MESSAGE)
        return None
    if now - seen >= SEEN_STEP:
        session[SEEN] = now
    return user


@login_manager.unauthorized_handler
def unauthorized():
    flash(g.get("session_refused") or login_manager.login_message, "info")
    if is_htmx():
        return redirect_to_login()
    return redirect(url_for("accounts.login", next=return_path()))
