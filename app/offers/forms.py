from __future__ import annotations

import re

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    Form,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from app.offers.models import STATUSES
from app.offers.services import SORTS
from app.web.forms import BaseForm, choices, strip

REQUIRED = "Ce champ est obligatoire."


def sensible_year(form, field):
    if field.data and not 2000 <= field.data.year <= 2100:
        raise ValidationError("Cette date n’est pas plausible.")


class OfferForm(BaseForm):
    """``host_id``'s options are given by the view (app/web/picker.py: ``fill``)."""

    title = StringField("Intitulé", validators=[DataRequired(REQUIRED), Length(max=200)],
                        filters=[strip])
    host_id = SelectField("Organisme", coerce=int, validate_choice=False,
                          validators=[DataRequired("Choisissez un organisme de l’annuaire.")])
    domain = SelectField("Domaine", validators=[DataRequired(REQUIRED)])
    description = TextAreaField("Description", validators=[DataRequired(REQUIRED),
                                                           Length(max=10_000)], filters=[strip])
    missions = TextAreaField("Missions", validators=[Optional(), Length(max=10_000)],
                             filters=[strip])
    city = StringField("Ville", validators=[DataRequired(REQUIRED), Length(max=120)],
                       filters=[strip])
    country = StringField("Pays", default="France",
                          validators=[DataRequired(REQUIRED), Length(max=80)], filters=[strip])
    remote = BooleanField("Télétravail possible")
    start_date = DateField("Début prévu", validators=[Optional(), sensible_year],
                           render_kw={"type": "date"})
    duration_weeks = IntegerField(
        "Durée (semaines)",
        validators=[Optional(), NumberRange(1, 52, "Entre 1 et 52 semaines.")])
    weekly_hours = DecimalField(
        "Heures par semaine", places=1,
        validators=[Optional(), NumberRange(1, 48, "Entre 1 et 48 heures par semaine.")])
    gratification_monthly = DecimalField(
        "Gratification mensuelle proposée (€)", places=2,
        validators=[Optional(), NumberRange(0, 100_000, "Montant invalide.")])
    deadline = DateField("Date limite de candidature", validators=[Optional(), sensible_year],
                         render_kw={"type": "date"})
    contact_name = StringField("Contact (nom)", validators=[Optional(), Length(max=120)],
                               filters=[strip])
    contact_email = EmailField("Contact (adresse électronique)",
                               validators=[Optional(), Email("Adresse électronique invalide."),
                                           Length(max=254)], filters=[strip])
    version = HiddenField()

    def __init__(self, *args, domains: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.domain.choices = choices([("", "— Choisir —")] + list(domains.items()))



MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class OfferFilterForm(Form):
    """The catalogue's filters, read from the query string (GET, no CSRF)."""

    class Meta:
        locales = ["fr_FR", "fr"]

    q = StringField("Rechercher", validators=[Optional(), Length(max=100)], filters=[strip])
    domain = SelectField("Domaine", default="", validate_choice=True)
    where = SelectField("Lieu", default="", validate_choice=True)
    remote = BooleanField("Télétravail possible")
    start = StringField("Début (mois)", validators=[Optional()], render_kw={"type": "month"})
    min_pay = DecimalField("Minimum €/mois", places=0, validators=[
        Optional(), NumberRange(0, 100_000, "Indiquez un montant positif.")])
    status = SelectField("Statut", default="", validate_choice=True)
    sort = SelectField("Trier par", choices=choices(SORTS.items()), default="recent",
                       validate_choice=True)

    def __init__(self, formdata, *, domains: dict[str, str], countries: list[str]):
        super().__init__(formdata)
        self.domain.choices = choices([("", "Tous")] + list(domains.items()))
        self.where.choices = choices([("", "Partout"), ("france", "France"),
                                      ("abroad", "À l’étranger (tous pays)")])
        self.where.choices += choices([(c, c) for c in countries], optgroup="Pays")
        self.status.choices = choices([("", "Actives")] + list(STATUSES.items()))

    def validate_start(self, field):
        if field.data:
            m = MONTH_RE.match(field.data)
            if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2100:
                raise ValidationError("Mois invalide (aaaa-mm).")

    def start_month(self) -> tuple[int, int] | None:
        if self.start.data and not self.start.errors:
            m = MONTH_RE.match(self.start.data)
            if m:
                return int(m.group(1)), int(m.group(2))
        return None

    def value(self, name: str):
        """A field's value if it validated, else its empty value (bad filters are ignored)."""
        field = getattr(self, name)
        return None if field.errors else field.data
