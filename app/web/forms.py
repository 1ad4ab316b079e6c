"""Shared form helpers: French messages, domain errors attached to their field."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from app.errors import DomainError


class BaseForm(FlaskForm):
    class Meta:
        locales = ["fr_FR", "fr"]

    def attach(self, err: DomainError) -> None:
        """Show a domain error next to its field, or at the top of the form."""
        field = getattr(self, err.field, None) if err.field else None
        if field is not None and hasattr(field, "errors"):
            if isinstance(field.errors, tuple):
                field.errors = list(field.errors)
            field.errors.append(err.message)
        else:
            self.form_errors.append(err.message)


def strip(value):
    return value.strip() if isinstance(value, str) else value


def choices(pairs, optgroup: str | None = None) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(str(value), label, optgroup=optgroup) for value, label in pairs]


INT_MAX = 2**31 - 1  # the databases' INTEGER columns


def int_or_none(raw) -> int | None:
    """A form or query value as an int, None when missing, not a number, or beyond what an
    INTEGER column holds (an id that large would fail in the database, not be "not found")."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if -INT_MAX <= value <= INT_MAX else None
