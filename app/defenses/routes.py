from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from app.defenses import bp, services
from app.defenses.forms import SessionForm, UnavailabilityForm
from app.defenses.models import Defense
from app.errors import DomainError
from app.extensions import db
from app.web.access import roles_required
from app.web.forms import int_or_none
from app.web.htmx import redirect_to, wants_fragment
from app.web.render import render
from app.years import services as years

MANAGERS = ("secretariat", "admin")


def _year():
    return years.current_year(date.today())


def _planning(block=None, session_form=None, **extra):
    year = _year()
    ready, missing = services.to_schedule_counts(year)
    return render("defenses/planning.html", block=block, year=year,
                  sessions=services.sessions(year), defenses=services.defenses(year),
                  ready=ready, missing=missing, slots=services.slot_choices(year),
                  teachers=services.teachers(),
                  session_form=session_form or SessionForm(formdata=None), **extra)


@bp.get("/")
@login_required
def index():
    if current_user.role in MANAGERS:
        return _planning()
    return redirect(url_for("defenses.mine"))


@bp.post("/journees")
@roles_required(*MANAGERS)
def add_session():
    form = SessionForm()
    if form.validate_on_submit():
        try:
            services.add_session(current_user, _year(), form.day.data, form.room.data,
                                 form.start_time.data, form.end_time.data,
                                 form.slot_minutes.data)
        except DomainError as err:
            db.session.rollback()
            form.attach(err)
        else:
            flash("Journée de soutenance ajoutée.", "success")
            return redirect_to(url_for("defenses.index"))
    return _planning(session_form=form)


@bp.post("/proposer")
@roles_required(*MANAGERS)
def propose():
    result = services.propose(current_user, _year())
    flash(f"{len(result.placed)} soutenance(s) proposée(s).", "success")
    if result.problem:
        flash(result.problem, "error")
    for reason in set(result.unplaced.values()):
        flash(f"Non placées : {reason}.", "error")
    return redirect_to(url_for("defenses.index"))


@bp.post("/<int:defense_id>/deplacer")
@roles_required(*MANAGERS)
def move(defense_id: int):
    defense = db.session.get(Defense, defense_id) or abort(404)
    session_id, starts_at = services.parse_slot(request.form.get("slot"))
    error = None
    try:
        services.move(current_user, defense, session_id, starts_at,
                      int_or_none(request.form.get("second_teacher_id")),
                      int_or_none(request.form.get("version")))
    except DomainError as err:
        db.session.rollback()
        error = err.message
    if not wants_fragment():
        flash(error or "Soutenance déplacée.", "error" if error else "success")
        return redirect_to(url_for("defenses.index"))
    defense = next(d for d in services.defenses(_year()) if d.id == defense_id)
    return _planning(block="defense_row", d=defense, row_error=error)



@bp.post("/publier")
@roles_required(*MANAGERS)
def publish():
    n = services.publish(current_user, _year())
    flash(f"{n} soutenance(s) publiée(s) : chacun·e est prévenu·e." if n
          else "Rien de nouveau à publier.", "success")
    return redirect_to(url_for("defenses.index"))


def _mine_page(form: UnavailabilityForm):
    return render("defenses/mine.html", defenses=services.mine(current_user), form=form,
                  unavailabilities=services.unavailabilities(current_user)
                  if current_user.role == "teacher" else [],
                  feed=url_for("defenses.feed", token=services.calendar_token(current_user),
                               _external=True))


@bp.get("/mes-soutenances")
@login_required
def mine():
    return _mine_page(UnavailabilityForm(formdata=None))


@bp.post("/calendrier/renouveler")
@login_required
def renew_feed():
    services.renew_calendar_token(current_user)
    flash("Nouveau lien d’agenda créé : l’ancien ne fonctionne plus. Abonnez votre agenda au "
          "nouveau.", "success")
    return redirect_to(url_for("defenses.mine"))


@bp.post("/indisponibilites")
@roles_required("teacher")
def unavailable():
    form = UnavailabilityForm()
    if form.validate_on_submit():
        try:
            services.add_unavailability(current_user, form.starts_at.data, form.ends_at.data,
                                        form.reason.data)
        except DomainError as err:
            db.session.rollback()
            form.attach(err)
        else:
            flash("Indisponibilité enregistrée.", "success")
            return redirect_to(url_for("defenses.mine"))
    return _mine_page(form)


@bp.get("/calendrier/<token>.ics")
def feed(token: str):
    user = services.user_for_token(token)
    if user is None:
        abort(404)
    resp = Response(services.ical(user), mimetype="text/calendar")
    resp.headers["Content-Disposition"] = 'inline; filename="soutenances.ics"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
