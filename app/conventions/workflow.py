"""The convention's workflow, written once: each action, the statuses it starts from, the
status it leads to, and who may take it. The services refuse what this table refuses, the
templates show the buttons it allows, and the tests walk it (DESIGN.md, Data).

Who is named by the part a person plays for *this* convention:
- ``owner``: the student whose internship it is;
- ``manager``: the secretariat (and the admin);
- ``teacher``: a teacher who may give the pedagogical approval: the academic tutor, or any
  teacher while none is named.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.errors import DomainError
from app.rules.formatting import de

STATUSES = {
    "draft": "Brouillon",
    "submitted": "Soumise",
    "changes_requested": "Corrections demandées",
    "validated": "Validée",
    "out_for_signature": "En signature",
    "signed": "Signée",
    "ended_early": "Rompue",
    "cancelled": "Annulée",
}
# What the student can still change, and what the secretariat can still change, before the
# terms are frozen by the validation (RULES.md §3, frozen terms).
STUDENT_EDITABLE = ("draft", "changes_requested")
MANAGER_EDITABLE = ("draft", "submitted", "changes_requested")
# Conventions in progress for the legal counts (R124-10, R124-13): validated or signed, not
# drafts nor submitted ones. A convention ended early still counted for its effective dates.
COUNTED = ("validated", "out_for_signature", "signed", "ended_early")
# Validated terms: what the convention states is frozen from here on.
FROZEN = COUNTED
CLOSED = ("ended_early", "cancelled")

ROLE_REFUSALS = {
    "manager": _l("Seul le secrétariat peut faire cela."),
    "teacher": _l("L’accord pédagogique est donné par un·e enseignant·e."),
    "owner": _l("Seul·e l’étudiant·e ou le secrétariat peut faire cela."),
}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    verb: str                     # « Impossible de {verb} une convention « soumise ». »
    sources: tuple[str, ...]
    target: str | None            # None: the status does not change
    who: frozenset[str]
    done: str                     # the message once done
    button: bool = True           # a plain button (with an optional comment) on the page
    style: str = ""
    comment: str | None = None    # label of the comment the action asks for, if any
    confirm: str | None = None
    staff_label: str | None = None  # the label the secretariat reads, when not ``label``

    def label_for(self, user) -> str:
        return self.staff_label if self.staff_label and user.is_manager else self.label


TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    Transition("edit", "Modifier les mentions", "modifier", MANAGER_EDITABLE, None,
               frozenset({"owner", "manager"}), "Convention enregistrée.", button=False),
    Transition("submit", "Soumettre au secrétariat", "soumettre", STUDENT_EDITABLE,
               "submitted", frozenset({"owner", "manager"}),
               "Convention soumise au secrétariat.",
               staff_label="Remettre dans la file à vérifier"),
    Transition("approve", "Donner l’accord pédagogique sur le sujet", "approuver",
               ("submitted", "changes_requested"), None, frozenset({"teacher"}),
               "Accord pédagogique enregistré."),
    Transition("check", "Vérifier une mention", "vérifier", ("submitted", "changes_requested"),
               None, frozenset({"manager"}), "", button=False),
    Transition("validate", "Valider", "valider", ("submitted",), "validated",
               frozenset({"manager"}), "Convention validée."),
    Transition("request_changes", "Demander des corrections", "demander des corrections sur",
               ("submitted",), "changes_requested", frozenset({"manager"}),
               "Corrections demandées à l’étudiant·e.", style="secondary",
               comment="Ce qu’il faut corriger (l’étudiant·e le verra)"),
    Transition("tutor", "Désigner l’enseignant·e référent·e", "changer le tuteur de",
               ("draft", "submitted", "changes_requested", "validated", "out_for_signature"),
               None, frozenset({"manager"}), "Enseignant·e référent·e désigné·e.",
               button=False),
    Transition("send", "Envoyer en signature", "envoyer en signature", ("validated",),
               "out_for_signature", frozenset({"manager"}), "Convention envoyée en signature."),
    Transition("sign", "Enregistrer une signature", "enregistrer une signature sur",
               ("validated", "out_for_signature"), None, frozenset({"manager"}),
               "Signature enregistrée.", button=False),
    Transition("amend", "Établir un avenant", "modifier par avenant", ("signed",), None,
               frozenset({"manager"}), "Avenant enregistré.", button=False),
    Transition("end_early", "Rompre la convention", "rompre", ("signed",), "ended_early",
               frozenset({"manager"}), "Rupture du stage enregistrée.", button=False),
    Transition("cancel", "Annuler la convention", "annuler",
               ("draft", "submitted", "changes_requested", "validated", "out_for_signature",
                "signed"), "cancelled", frozenset({"manager"}), "Convention annulée.",
               style="outline secondary", comment="Motif de l’annulation",
               confirm="Annuler cette convention ? Le stage sera annulé lui aussi."),
)}


def roles(user, convention) -> frozenset[str]:
    """The parts ``user`` plays for ``convention``."""
    found = set()
    if user.is_manager:
        found.add("manager")
    if convention.internship.student_id == user.id:
        found.add("owner")
    if user.role == "teacher" and convention.academic_tutor_id in (None, user.id):
        found.add("teacher")
    return frozenset(found)


def allows(action: str, user, convention) -> bool:
    t = TRANSITIONS[action]
    if convention.status not in t.sources:
        return False
    parts = roles(user, convention)
    if action == "edit" and parts == {"owner"}:
        return convention.status in STUDENT_EDITABLE
    return bool(parts & t.who)


def permitted(user, convention) -> frozenset[str]:
    """Every action ``user`` may take on ``convention`` now (what the page offers)."""
    return frozenset(a for a in TRANSITIONS if allows(a, user, convention))


def buttons(user, convention) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if t.button and allows(t.action, user, convention)]


def require(action: str, user, convention) -> Transition:
    """The transition, or the reason it is refused (who first, then the status)."""
    t = TRANSITIONS[action]
    parts = roles(user, convention)
    if not parts & t.who:
        if "teacher" in t.who and user.role == "teacher":
            raise DomainError(_("Seul·e l’enseignant·e référent·e de ce stage donne l’accord."))
        raise DomainError(ROLE_REFUSALS[next(r for r in ("teacher", "owner", "manager")
                                             if r in t.who)])
    if not allows(action, user, convention):
        if action == "edit":
            raise DomainError(_("Vous ne pouvez plus modifier cette convention : elle est "
                                "« %(status)s ».", status=STATUSES[convention.status].lower()))
        raise DomainError(_("Impossible %(verb)s une convention « %(status)s ».",
                          verb=de(t.verb), status=STATUSES[convention.status].lower()))
    return t
