from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from app.accounts import bp, services, sso
from app.accounts.auth import CAS_TICKET, end_session, keep_session, start_session
from app.accounts.forms import ImportForm, LoginForm, PasswordForm, UserFilterForm, UserForm
from app.accounts.models import MANAGERS, User
from app.exports.views import export_or_background
from app.extensions import db, limiter
from app.web.access import admin_required, roles_required
from app.web.actions import action
from app.web.htmx import is_htmx, local_path, redirect_to
from app.web.pagination import paginate
from app.web.render import render


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"],
               error_message="Trop de tentatives de connexion. Réessayez dans une minute.")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next"))
    local = current_app.config["LOCAL_LOGIN_ENABLED"]
    break_glass = current_app.config.get("BREAK_GLASS_EMAILS") or []
    if not local and not break_glass:
        form = None  # the ENT only
    elif form.validate_on_submit():
        user = None
        if local or services.normalize_email(form.email.data) in break_glass:
            user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append("Adresse électronique ou mot de passe incorrect.")
        else:
            start_session(user)
            flash(f"Bienvenue, {user.first_name}.", "success")
            return redirect_to(local_path(form.next.data) or url_for("home.index"))
    return render("accounts/login.html", form=form, local=local,
                  cas=bool(current_app.config.get("CAS_SERVER_URL")))


@bp.before_app_request
def force_password_change():
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in ("accounts.password", "accounts.logout",
                                     "accounts.logout_everywhere", "static")):
        if request.method == "GET":
            flash("Choisissez votre propre mot de passe avant de continuer.", "info")
        return redirect(url_for("accounts.password"))


@bp.post("/deconnexion")
def logout():
    """Log out; the session's cookie, even copied elsewhere, no longer opens anything (the
    account's session generation moves on, so its other sessions end too)."""
    ticket = session.get(CAS_TICKET)
    if current_user.is_authenticated:
        services.end_sessions(current_user)
    if ticket:
        sso.forget_ticket(ticket)
    end_session()
    if ticket and current_app.config.get("CAS_SERVER_URL"):
        return redirect_to(cas_logout_url())  # the university's session ends too
    flash("Vous êtes déconnecté·e.", "info")
    return redirect_to(url_for("accounts.login"))


@bp.post("/deconnexion/partout")
@login_required
def logout_everywhere():
    services.end_sessions(current_user)
    end_session()
    flash("Vous êtes déconnecté·e de tous les appareils.", "info")
    return redirect_to(url_for("accounts.login"))


def _user_key() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated \
        else get_remote_address()


@bp.route("/mot-de-passe", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_user_key,
               error_message="Trop de tentatives. Réessayez dans une minute.")
@limiter.limit(_login_limit, methods=["POST"],
               error_message="Trop de tentatives. Réessayez dans une minute.")
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        with action(form) as act:
            services.change_password(current_user, form.current_password.data,
                                     form.password.data, form.confirm.data)
        if act.ok:
            keep_session(current_user)  # this session stays; the others have ended
            flash("Votre mot de passe a été changé.", "success")
            return redirect_to(url_for("home.index"))
    return render("accounts/password.html", block="password_form", form=form)


# ------------------------------------------------------------------ administration

def _user_filters() -> UserFilterForm:
    return UserFilterForm(request.args, id_prefix="user")


@bp.get("/admin/utilisateurs")
@admin_required
def users():
    filters = _user_filters()
    stmt = services.users_query(**filters.values())
    page = paginate(stmt)
    return render("accounts/users.html", block="results", page=page, filters=filters,
                  counts=services.counts_by_role(),
                  tracks=services.students_by_track())


@bp.route("/admin/utilisateurs/export.<fmt>", methods=["GET", "POST"])
@admin_required
def users_export(fmt: str):
    filters = _user_filters().values()
    return export_or_background(fmt, "users", "utilisateurs", filters,
                                services.users_query(**filters))


def users_rows(filters: dict):
    rows = (
        (u.last_name, u.first_name, u.email, u.role_label, u.cohort, u.group_name,
         u.track_label, u.active)
        for u in db.session.execute(services.users_query(**filters)).scalars()
    )
    return (["Nom", "Prénom", "Email", "Rôle", "Promotion", "Groupe", "Parcours", "Actif"],
            rows, 0)



@bp.route("/admin/utilisateurs/nouveau", methods=["GET", "POST"])
@admin_required
def user_new():
    form = UserForm()
    if form.validate_on_submit():
        data = services.NewUser(
            first_name=form.first_name.data, last_name=form.last_name.data,
            email=form.email.data, role=form.role.data, cohort=form.cohort.data or None,
            group_name=form.group_name.data, track=form.track.data or None,
            password=form.password.data or None,
        )
        with action(form) as act:
            user, temporary = services.create_user(data)
        if act.ok:
            return render("accounts/user_created.html", user=user, temporary=temporary)
    return render("accounts/user_form.html", block="user_form", form=form)


@bp.post("/admin/utilisateurs/<int:user_id>/activation")
@admin_required
def user_toggle(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    activate = request.form.get("active") == "1"
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = None
    with action(inline=is_htmx()) as act:   # htmx: the message in the user's row
        services.set_active(user, activate, current_user, version)
    if not is_htmx():
        if act.ok:
            flash(f"Compte de {user.full_name} {'réactivé' if activate else 'désactivé'}.",
                  "success")
        return redirect(url_for("accounts.users"), code=303)
    return render("accounts/users.html", block="user_row", u=user, row_error=act.error)


@bp.route("/admin/import", methods=["GET", "POST"])
@roles_required(*MANAGERS)   # the secretariat manages the cohort too
def import_students():
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        raw = form.file.data.read(current_app.config["CSV_IMPORT_MAX_BYTES"] + 1)
        if len(raw) > current_app.config["CSV_IMPORT_MAX_BYTES"]:
            form.file.errors.append("Le fichier dépasse 2 Mo.")
        else:
            with action(inline=True) as act:   # the file's own error, whatever it names
                result = services.import_students(raw)
            if not act.ok:
                form.file.errors.append(act.error)
    return render("accounts/import.html", form=form, result=result)


def cas_logout_url() -> str:
    from app.accounts.cas_routes import logout_url
    return logout_url()
