"""Flask-Login wiring: load the user, answer anonymous requests."""
from __future__ import annotations

from flask import flash, redirect, request, url_for

from app.accounts.models import User
from app.extensions import db, login_manager
from app.web.htmx import is_htmx, redirect_to_login

login_manager.login_view = "accounts.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.active:
        return None  # a deactivated account is logged out at its next request
    return user


@login_manager.unauthorized_handler
def unauthorized():
    if is_htmx():
        return redirect_to_login()
    flash(login_manager.login_message, "info")
    next_url = request.full_path if request.method == "GET" else None
    if next_url and next_url.endswith("?"):
        next_url = next_url[:-1]
    return redirect(url_for("accounts.login", next=next_url))
