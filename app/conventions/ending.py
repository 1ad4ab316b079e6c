"""The end of a convention before its term: a cancellation (before the internship starts; the
internship goes with it) and an early end (rupture, RULES.md §3: the hours and the
gratification are those of the effective dates, the signed terms stay)."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _

from app.accounts.models import User
from app.conventions import workflow
from app.conventions.models import Convention
from app.conventions.transitions import (
    check_stale,
    commit,
    concerned,
    link_to,
    move,
    tell_host_tutor,
)
from app.errors import DomainError
from app.internships import services as internships
from app.notifications.services import notify
from app.rules.formatting import de, fr_date, period_text


def cancel(convention: Convention, actor: User, comment: str | None, version: int | None,
           today: date | None = None) -> None:
    """Cancel the convention and its internship: the student can declare a new one."""
    check_stale(convention, version)
    workflow.require("cancel", actor, convention)
    today = today or date.today()
    reason = (comment or "").strip()
    if not reason:
        raise DomainError(_("Indiquez le motif de l’annulation."), "comment")
    i = convention.internship
    if convention.status == "signed" and today >= i.start_date:
        raise DomainError(_("Le stage a commencé : enregistrez sa rupture anticipée, avec sa date "
                            "de fin effective, plutôt qu’une annulation."))
    _cancel(convention, actor, reason, _("Un nouveau stage peut être déclaré."))
    commit()


def withdraw(convention: Convention, actor: User, reason: str) -> None:
    """Cancel a convention not signed because its student leaves the internship track (a
    change of track: tracks.change_track, which checked the actor and commits)."""
    if convention.status in ("signed", "ended_early", "cancelled"):
        raise DomainError(_("Une convention « %(status)s » ne s’annule pas ainsi.",
                            status=convention.status_label.lower()))
    _cancel(convention, actor, reason, "")


def _cancel(convention: Convention, actor: User, reason: str, then: str) -> None:
    """The convention and its internship cancelled, with their history lines; the student,
    the tutor, the secretariat and the host tutor told."""
    i = convention.internship
    move(convention, actor, "cancelled", reason[:2000])
    internships.move(i, actor, "cancelled", f"Convention annulée : {reason[:300]}")
    i.convention_signed_on = None
    notify(concerned(convention, actor),
           f"La convention {de(i.student.full_name)} est annulée, et son stage avec elle : "
           f"« {reason[:300]} ». {then}".rstrip(), link_to(convention),
           email_subject="Convention de stage annulée")
    tell_host_tutor(convention, "Convention de stage annulée",
                    f"La convention de stage {de(i.student.full_name)} "
                    f"({period_text(i.start_date, i.end_date)}) est annulée : « {reason[:300]} ».")


def end_early(convention: Convention, actor: User, ended_on: date | None, reason: str | None,
              version: int | None, today: date) -> None:
    """Rupture: the internship ends on ``ended_on``; its hours and gratification are those of
    the effective dates (RULES.md §3). The convention's terms stay what was signed."""
    check_stale(convention, version)
    workflow.require("end_early", actor, convention)
    i = convention.internship
    reason = (reason or "").strip()
    if ended_on is None:
        raise DomainError(_("Indiquez le dernier jour de présence."), "ended_on")
    if not i.start_date <= ended_on < i.end_date:
        raise DomainError(_("Le dernier jour de présence tombe pendant le stage, avant sa fin "
                            "prévue : du %(start_date)s au %(end_date)s.",
                          start_date=fr_date(i.start_date),
                          end_date=fr_date(i.end_date - timedelta(days=1))), "ended_on")
    if ended_on > today + timedelta(days=60):
        raise DomainError(_("Une rupture s’enregistre au plus deux mois à l’avance."), "ended_on")
    if not reason:
        raise DomainError(_("Indiquez le motif de la rupture."), "end_reason")
    planned = i.end_date
    convention.ended_on = ended_on
    convention.end_reason = reason[:2000]
    move(convention, actor, "ended_early",
          f"Dernier jour le {fr_date(ended_on)} (fin prévue le {fr_date(planned)}) : "
          f"{reason[:300]}")
    internships.end_early(i, actor, ended_on, reason)
    notify(concerned(convention, actor),
           f"Le stage {de(i.student.full_name)} s’arrête avant son terme : dernier jour le "
           f"{fr_date(ended_on)} (« {reason[:200]} »).", link_to(convention),
           email_subject="Stage interrompu")
    tell_host_tutor(convention, "Stage interrompu",
                    f"Le stage {de(i.student.full_name)} s’arrête avant son terme : dernier jour "
                    f"de présence le {fr_date(ended_on)}.")
    commit()
