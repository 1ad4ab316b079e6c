from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from app.accounts.models import MANAGERS
from app.defenses import bp, services
from app.defenses.forms import SessionForm, UnavailabilityForm
from app.defenses.models import Defense, DefenseSession, Unavailability
from app.extensions import db
from app.plurals import count_text
from app.rules.formatting import fr_date
from app.web.access import roles_required
from app.web.actions import action
from app.web.forms import int_or_none
from app.web.htmx import redirect_to, wants_fragment
from app.web.render import render
from app.web.years import selected_year


def _choice():
    """The year of the planning: ``year`` in the address or the form, else the year whose
    defences or evaluations are not over."""
    return selected_year(services.year_work)


def _planning(block=None, session_form=None, choice=None, **extra):
    choice = choice or _choice()
    year = choice.year
    ready, missing = services.to_schedule_counts(year)
    return render("defenses/planning.html", block=block, year=year, choice=choice,
                  sessions=services.sessions(year), defenses=services.defenses(year),
                  ready=ready, missing=missing, slots=services.slot_choices(year),
                  teachers=services.teachers(),
                  session_form=session_form or SessionForm(formdata=None), **extra)


@bp.get("/")
@login_required
def index():
    if current_user.is_manager:
        return _planning()
    return redirect(url_for("defenses.mine"))


@bp.post("/journees")
@roles_required(*MANAGERS)
def add_session():
    form = SessionForm()
    if form.validate_on_submit():
        choice = _choice()
        with action(form) as act:
            services.add_session(current_user, choice.year, form.day.data, form.room.data,
                                 form.start_time.data, form.end_time.data,
                                 form.slot_minutes.data)
        if act.ok:
            flash("Journée de soutenance ajoutée.", "success")
            return redirect_to(url_for("defenses.index", **choice.args))
    return _planning(session_form=form)


@bp.post("/journees/<int:session_id>/supprimer")
@roles_required(*MANAGERS)
def delete_session(session_id: int):
    session = db.session.get(DefenseSession, session_id) or abort(404)
    year = session.academic_year.start_year
    with action(inline=False) as act:
        n = services.delete_session(current_user, session)
    if act.ok:
        flash("Journée supprimée." + (count_text(
            " %(num)d soutenance proposée ce jour-là est à planifier de nouveau.",
            " %(num)d soutenances proposées ce jour-là sont à planifier de nouveau.", n)
            if n else ""), "success")
    return redirect_to(url_for("defenses.index", year=year))


@bp.post("/proposer")
@roles_required(*MANAGERS)
def propose():
    choice = _choice()
    result = services.propose(current_user, choice.year)
    flash(count_text("%(num)d soutenance proposée.", "%(num)d soutenances proposées.",
                     len(result.placed)), "success")
    if result.too_early:
        names = ", ".join(f"{i.student.full_name} (au plus tôt le {fr_date(day)})"
                          for i, day in result.too_early[:10])
        more = len(result.too_early) - 10
        flash(f"Non proposé·es, leur stage n’est pas terminé à la dernière journée de "
              f"soutenance : {names}"
              + (count_text(" et %(num)d autre", " et %(num)d autres", more) if more > 0 else "")
              + ".",
              "error")
    if result.schedule.problem:
        flash(result.schedule.problem, "error")
    for reason in set(result.schedule.unplaced.values()):
        flash(f"Non placées : {reason}.", "error")
    return redirect_to(url_for("defenses.index", **choice.args))


@bp.post("/<int:defense_id>/deplacer")
@roles_required(*MANAGERS)
def move(defense_id: int):
    defense = db.session.get(Defense, defense_id) or abort(404)
    session_id, starts_at = services.parse_slot(request.form.get("slot"))
    with action() as act:
        services.move(current_user, defense, session_id, starts_at,
                      int_or_none(request.form.get("second_teacher_id")),
                      int_or_none(request.form.get("version")))
    year = defense.session.academic_year
    if not wants_fragment():
        if act.ok:
            flash("Soutenance déplacée.", "success")
        return redirect_to(url_for("defenses.index", year=year.start_year))
    defense = next(d for d in services.defenses(year) if d.id == defense_id)
    return _planning(block="defense_row", d=defense, row_error=act.error)


@bp.post("/publier")
@roles_required(*MANAGERS)
def publish():
    choice = _choice()
    n = services.publish(current_user, choice.year)
    flash(count_text("%(num)d soutenance publiée : chacun·e est prévenu·e.",
                     "%(num)d soutenances publiées : chacun·e est prévenu·e.", n) if n
          else "Rien de nouveau à publier : les soutenances déplacées après publication ont "
               "déjà été annoncées.", "success")
    return redirect_to(url_for("defenses.index", **choice.args))


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
        with action(form) as act:
            services.add_unavailability(current_user, form.starts_at.data, form.ends_at.data,
                                        form.reason.data)
        if act.ok:
            flash("Indisponibilité enregistrée.", "success")
            return redirect_to(url_for("defenses.mine"))
    return _mine_page(form)


@bp.post("/indisponibilites/<int:unavailability_id>/supprimer")
@roles_required("teacher")
def delete_unavailability(unavailability_id: int):
    u = db.session.get(Unavailability, unavailability_id)
    if u is None or u.teacher_id != current_user.id:
        abort(404)
    services.delete_unavailability(current_user, u)
    flash("Indisponibilité supprimée.", "success")
    return redirect_to(url_for("defenses.mine"))


@bp.get("/calendrier/<token>.ics")
def feed(token: str):
    user = services.user_for_token(token)
    if user is None:
        abort(404)
    resp = Response(services.ical(user), mimetype="text/calendar")
    resp.headers["Content-Disposition"] = 'inline; filename="soutenances.ics"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
