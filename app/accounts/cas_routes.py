"""CAS single sign-on (protocol 3.0): « Se connecter avec l’ENT », the ticket's return,
the CAS's single logout. The CAS client is python-cas; accounts are made in app.accounts.sso."""
from __future__ import annotations

import logging

import requests
from cas import CASClient
from flask import abort, current_app, flash, redirect, request, session, url_for

from app.accounts import bp, sso
from app.accounts.auth import CAS_TICKET, start_session
from app.extensions import csrf
from app.web.actions import action
from app.web.htmx import local_path
from app.web.render import render

log = logging.getLogger(__name__)
CAS_NEXT = "_cas_next"


def cas_enabled() -> bool:
    return bool(current_app.config.get("CAS_SERVER_URL"))


def service_url() -> str:
    """The address the CAS sends the ticket back to (identical at validation)."""
    public = current_app.config.get("PUBLIC_URL", "").rstrip("/")
    path = url_for("accounts.cas_callback")
    return public + path if public else url_for("accounts.cas_callback", _external=True)


def client() -> CASClient:
    return CASClient(version=3, service_url=service_url(),
                     server_url=current_app.config["CAS_SERVER_URL"].rstrip("/") + "/")


def logout_url() -> str:
    public = current_app.config.get("PUBLIC_URL", "").rstrip("/")
    back = public + url_for("accounts.login") if public else url_for("accounts.login",
                                                                      _external=True)
    return client().get_logout_url(back)


def _refused(message: str):
    return render("accounts/cas_refused.html", message=message), 403


@bp.get("/connexion/ent")
def cas_login():
    if not cas_enabled():
        abort(404)
    session[CAS_NEXT] = local_path(request.args.get("next")) or ""
    return redirect(client().get_login_url())


@bp.route("/auth/cas", methods=["GET", "POST"])
@csrf.exempt  # the CAS server's single logout request carries no CSRF token
def cas_callback():
    if not cas_enabled():
        abort(404)
    if request.method == "POST":
        return _single_logout()
    ticket = request.args.get("ticket", "")
    if not ticket:
        return redirect(url_for("accounts.login"))
    if len(ticket) > 255 or sso.ticket_known(ticket):
        return _refused("Ce ticket de connexion a déjà servi. Reconnectez-vous avec l’ENT.")
    try:
        uid, attributes, _pgt = client().verify_ticket(ticket)
    except (requests.RequestException, ValueError, SyntaxError) as err:
        log.warning("CAS validation failed: %s", err)
        return _refused("Le service d’authentification de l’université ne répond pas. "
                        "Réessayez dans quelques minutes.")
    if not uid:
        return _refused("Ce ticket de connexion n’est pas valide (déjà utilisé ou expiré). "
                        "Reconnectez-vous avec l’ENT.")
    with action(inline=True) as act:
        user = sso.account_from_cas(uid, attributes or {})
    if not act.ok:
        return _refused(act.error)
    target = session.pop(CAS_NEXT, "") or url_for("home.index")
    start_session(user)
    session[CAS_TICKET] = ticket
    sso.record_ticket(ticket, user)
    flash(f"Bienvenue, {user.first_name}.", "success")
    return redirect(local_path(target) or url_for("home.index"))


def _single_logout():
    """The CAS's logoutRequest: the session opened with the ticket it names ends."""
    slos = client().get_saml_slos(request.form.get("logoutRequest", ""))
    ticket = (slos[0].text or "").strip() if slos else ""
    if ticket:
        sso.forget_ticket(ticket)
    return "", 200
