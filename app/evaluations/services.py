"""Evaluations: opened when an internship ends, a signed link for the host tutor, forms that
rate the SMART objectives, reminders and who has not answered.

The entry point the pages and the other domains import; the work is in

- ``opening``: opening the evaluations that are due, the host tutor's link, the reminders;
- ``answers``: the questions and answering once;
- ``reading``: who answers and who reads, the lists one follows, the objectives' attainment."""
from __future__ import annotations

from app.errors import DomainError
from app.evaluations.answers import QUESTIONS, AlreadyAnswered, submit
from app.evaluations.opening import (
    ALREADY_SENT,
    SALT,
    _send_host_link,
    evaluation_for_token,
    link_token,
    open_all_ended,
    open_evaluations,
    send_reminders,
)
from app.evaluations.reading import (
    ATTAINMENT_KINDS,
    Attainment,
    Readers,
    StatusRow,
    answers_it,
    attainment,
    can_answer,
    can_read_attainment,
    can_view,
    get,
    readers,
    status_rows,
)
from app.signed_links import LinkRefused

__all__ = ["ALREADY_SENT", "ATTAINMENT_KINDS", "QUESTIONS", "SALT", "AlreadyAnswered",
           "Attainment", "DomainError", "LinkRefused", "Readers", "StatusRow", "_send_host_link",
           "answers_it", "attainment", "can_answer", "can_read_attainment", "can_view",
           "evaluation_for_token", "get", "link_token", "open_all_ended", "open_evaluations",
           "readers", "send_reminders", "status_rows", "submit"]
