"""Shared form helpers: French messages, domain errors attached to their field."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Form, StringField
from wtforms.fields import IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import get_translations as wtforms_translations
from wtforms.validators import Length, NumberRange, Optional

from app.errors import DomainError
from app.rules.formatting import french_typography
from app.rules.parsing import INT_MAX, int_or_none


def bounded_int(value) -> int | None:
    """``coerce=int`` of the forms' selects of ids: ASCII digits, within an INTEGER column
    (WTForms shows its "could not coerce" error otherwise). The empty placeholder
    (« — Choisir — », ``value=""``) is None: ``DataRequired`` then gives its own message."""
    if value == "":
        return None
    number = int_or_none(value)
    if number is None:
        raise ValueError("not an id")
    return number


class _Storable(NumberRange):
    """Within what an INTEGER column holds; a value that is not a number already has its
    message (« N’est pas un entier valide. »), not a second one."""

    def __call__(self, form, field):
        if field.data is not None:
            super().__call__(form, field)


class _FrenchTypography:
    """The form library's own messages (« N'est pas une valeur décimale valide. ») in the
    intranet's typography: a curly apostrophe, and « obligatoire » as every form says."""

    def __init__(self, inner):
        self.inner = inner

    def gettext(self, string):
        return french_typography(self.inner.gettext(string))

    def ngettext(self, singular, plural, n):
        return french_typography(self.inner.ngettext(singular, plural, n))


class BaseForm(FlaskForm):
    """Every form of the app. Control characters never reach it (``app.web.inputs`` cleans
    the request's parameters); its numbers stay within what an INTEGER column holds."""

    class Meta:
        locales = ["fr_FR", "fr"]

        def get_translations(self, form):
            inner = super().get_translations(form) or wtforms_translations(self.locales)
            return _FrenchTypography(inner)

        def bind_field(self, form, unbound_field, options):
            if unbound_field.kwargs.get("coerce") is int:
                options = dict(options, coerce=bounded_int)
            field = super().bind_field(form, unbound_field, options)
            if field.type == "CSRFTokenField":
                field.id = False  # a page with several forms: no id twice (« csrf_token »)
            if isinstance(field, IntegerField):
                field.validators = [*field.validators, _Storable(
                    -INT_MAX, INT_MAX, message="Ce nombre est trop grand.")]
            return field

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


def search_field(label: str) -> StringField:
    """A list's search box (``FilterForm.q``), under the list's own label."""
    return StringField(label, default="", validators=[Optional(), Length(max=100)],
                       filters=[strip])


class FilterForm(Form):
    """A list's search and filters, read from the query string (GET: no CSRF, nothing
    written). A filter that does not validate is ignored, never an error page: ``value``
    gives the empty value instead, ``values`` every filter so. The page shows the form with
    ``_macros/ui.html`` ``filter_form``; a list's own form adds its fields to ``q``."""

    class Meta:
        locales = ["fr_FR", "fr"]

        def get_translations(self, form):
            return _FrenchTypography(wtforms_translations(self.locales))

    q = search_field("Rechercher")

    def __init__(self, formdata, *, id_prefix: str, **kwargs):
        """``id_prefix`` names the fields' ids (``host-q``): the page's other forms have a
        ``q`` too."""
        super().__init__(formdata, **kwargs)
        for field in self:
            field.id = f"{id_prefix}-{field.name}"
        self.validate()

    def value(self, name: str):
        """A field's value if it validated, else its empty value (bad filters are ignored)."""
        field = getattr(self, name)
        if field.errors:
            return field.default if field.default is not None else None
        return field.data

    def values(self) -> dict:
        """Every filter's value (``value``), by name: what the list's query takes."""
        return {name: self.value(name) for name in self._fields}
