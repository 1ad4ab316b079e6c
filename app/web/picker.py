"""Pickers over long lists (hosts, students): a select that holds the chosen rows and the
first rows by name, and a search field that refills it from the server as one types.

A department's directory fits in the select whole; a university's 5,000 hosts do not (a
form weighed 335 kB): past ``PICKER_LIMIT`` rows the select holds the first ones and the
search finds the others. The chosen value always stays among the options, so a form shown
again after an error keeps it.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import request
from sqlalchemy import Select

from app.extensions import db
from app.web.forms import int_or_none
from app.web.render import render

PICKER_LIMIT = 200
SEARCH_LIMIT = 50


def student_label(row) -> str:
    """A student in a picker: "Last First (gr. A)" from a row with those columns."""
    return f"{row.last_name} {row.first_name}" + (
        f" (gr. {row.group_name})" if row.group_name else "")


def picker_rows(stmt: Select, key, label: Callable, selected: list[int | None],
                clause=None) -> list[tuple[int, str]]:
    """``(id, label)`` of the ``selected`` rows of ``stmt`` (in its order), then its first
    ``PICKER_LIMIT`` rows, or its first ``SEARCH_LIMIT`` rows found by ``clause``. ``stmt``
    selects ``key`` first and whatever ``label`` reads."""
    wanted = [s for s in selected if s]
    chosen = {row[0]: row for row in db.session.execute(stmt.where(key.in_(wanted)))} \
        if wanted else {}
    out = [(row[0], label(row)) for row in chosen.values()]
    listed = stmt.where(clause).limit(SEARCH_LIMIT) if clause is not None \
        else stmt.limit(PICKER_LIMIT)
    for row in db.session.execute(listed):
        if row[0] not in chosen:
            out.append((row[0], label(row)))
    return out


def fill(field, choices_fn: Callable, blank: str = "— Choisir —") -> None:
    """Give a picker's select its options: the blank one, the field's current value (posted,
    prefilled or the record's), then the list's first rows."""
    from app.web.forms import choices

    field.choices = choices([("", blank)] + choices_fn(int_or_none(field.data)))


def options_response(choices: Callable, fields: tuple[str, ...], blank: str = "— Choisir —"):
    """The select's new options for a search_picker's request: ``field`` names the select
    (one of ``fields``), whose chosen value comes along; ``<field>_q`` is the search."""
    field = request.args.get("field", "")
    if field not in fields:
        field = fields[0]
    selected = int_or_none(request.args.get(field))
    q = (request.args.get(f"{field}_q") or "").strip()[:100]
    return render("_picker_options.html", rows=choices(selected, q=q or None), q=q,
                  selected=selected, blank=(request.args.get("blank") or blank)[:40],
                  limit=SEARCH_LIMIT)
