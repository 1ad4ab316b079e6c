from __future__ import annotations

import re

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from app.offers.models import STATUSES
from app.offers.services import SORTS
from app.web.forms import BaseForm, FilterForm, choices, strip

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


class OfferFilterForm(FilterForm):
    """The catalogue's filters; ``domains`` and ``countries`` give the selects' options."""

    domain = SelectField("Domaine", default="", choices=lambda form, field: choices(
        [("", "Tous")] + list(form.domain_choices.items())))
    where = SelectField("Lieu", default="", choices=lambda form, field: choices(
        [("", "Partout"), ("france", "France"), ("abroad", "À l’étranger (tous pays)")])
        + choices([(c, c) for c in form.country_choices], optgroup="Pays"))
    remote = BooleanField("Télétravail possible")
    start = StringField("Début (mois)", validators=[Optional()], render_kw={"type": "month"})
    min_pay = DecimalField("Minimum €/mois", places=0, validators=[
        Optional(), NumberRange(0, 100_000, "Indiquez un montant positif.")])
    status = SelectField("Statut", default="", choices=choices(
        [("", "Actives")] + list(STATUSES.items())))
    sort = SelectField("Trier par", choices=choices(SORTS.items()), default="recent")

    def __init__(self, formdata, *, domains: dict[str, str], countries: list[str], **kwargs):
        # read by the selects' choices, when the form validates (FilterForm.__init__)
        self.domain_choices, self.country_choices = domains, countries
        super().__init__(formdata, **kwargs)

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
