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


def int_or_none(raw) -> int | None:
    """A form or query value as an int, None when missing or not a number."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None
