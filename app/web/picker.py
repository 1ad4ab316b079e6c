"""Pickers over long lists (hosts, students): a select that holds the chosen rows and the
first rows by name, and a search field that refills it from the server as one types.

A department's directory fits in the select whole; a university's 5,000 hosts do not (a
form weighed 335 kB): past ``PICKER_LIMIT`` rows the select holds the first ones and the
search finds the others. The chosen value always stays among the options, so a form shown
again after an error keeps it. The rows come from app/pickers.py (no request there: the
services read them); this module fills the form's select and answers the search.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import request

from app.pickers import SEARCH_LIMIT
from app.web.forms import int_or_none
from app.web.render import render


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
