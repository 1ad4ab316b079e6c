"""One way for a route to run an action and show what a service refused.

    with action(form) as act:
        services.update_thing(thing, data, version)
    if act.ok:
        flash("Enregistré.", "success")
        return redirect_to(url)
    return render("thing/form.html", block="thing_form", form=form)

Inside ``with action(…)``, a ``DomainError`` (``app.errors``) is caught and nothing it left
half-done is written: the session is rolled back. Then its message goes where the answer
shows it, exactly once:

- ``action(form)``: on the form, next to the field ``err.field`` names, else in the form's
  own errors (the error summary of ``_macros/forms.html``). An error listing several problems
  (``err.problems``) gives each its place. The route shows the form again, page or fragment.
- ``action()`` answering with a fragment (``wants_fragment()``): in ``act.error``, for the
  route to give to the fragment, which shows it inline (a fragment has no flash area).
- ``action()`` answering with a full page: flashed as an error, for the page (or the page a
  redirect leads to) to show in its flash area.

``inline`` says it when the request does not: ``action(inline=False)`` for a route that
redirects whatever the request (the message is flashed), ``action(inline=True)`` for one
whose page shows ``act.error`` itself (never flashed).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import flash

from app.errors import DomainError
from app.extensions import db
from app.web.htmx import wants_fragment


@dataclass
class Outcome:
    """What ``action`` leaves to the route: ``ok``, or the refusal and its message."""

    failure: DomainError | None = None
    error: str | None = None   # the message, when the route shows it (a fragment)

    @property
    def ok(self) -> bool:
        return self.failure is None


def attach(form, err: DomainError) -> None:
    """Each problem of ``err`` on its field of ``form``, or at the top of the form."""
    for problem in getattr(err, "problems", None) or [err]:
        form.attach(problem)


def flash_errors(form) -> None:
    """The form's messages in the flash area, for a route that redirects instead of showing
    the form again (a small form of a page, or a form the page no longer shows)."""
    flash(" ".join(dict.fromkeys(e for errs in form.errors.values() for e in errs)), "error")


@contextmanager
def action(form=None, *, inline: bool | None = None) -> Iterator[Outcome]:
    """Run the block as one action; see the module's docstring. ``inline``: the answer shows
    ``act.error`` itself (default: ``wants_fragment()``, a fragment has no flash area)."""
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as err:
        db.session.rollback()
        outcome.failure = err
        if form is not None:
            attach(form, err)
        elif wants_fragment() if inline is None else inline:
            outcome.error = err.message
        else:
            flash(err.message, "error")
