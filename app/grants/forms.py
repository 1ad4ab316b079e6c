from __future__ import annotations

from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.grants.models import FUNDERS, STATUSES
from app.offers.forms import sensible_year
from app.web.forms import BaseForm, FilterForm, choices, strip

REQUIRED = "Ce champ est obligatoire."
AMOUNT_HELP = "En euros, par exemple 540 ou 540,50."


class RateRow(Form):
    group = StringField("Groupe de pays", filters=[strip], validators=[Length(max=80)])
    countries = StringField("Pays", filters=[strip],
                            description="Séparés par des virgules ; vide ou « * » : tous.")
    monthly = StringField("Montant mensuel (€)", filters=[strip],
                          render_kw={"inputmode": "decimal"})


class ProgrammeForm(BaseForm):
    name = StringField("Programme", filters=[strip],
                       validators=[DataRequired(REQUIRED), Length(max=160)])
    funder = SelectField("Financeur", choices=list(FUNDERS.items()))
    deadline = DateField("Date limite de candidature",
                         validators=[DataRequired(REQUIRED), sensible_year])
    first_part_percent = IntegerField(
        "Premier versement, avant le départ (%)", default=70,
        description="Le reste est versé après le rapport de stage.",
        validators=[DataRequired(REQUIRED), NumberRange(0, 100, "Entre 0 et 100.")])
    max_months = IntegerField("Mois financés au plus", validators=[
        Optional(), NumberRange(1, 12, "Entre 1 et 12 mois.")])
    description = TextAreaField("Conditions et pièces demandées", filters=[strip],
                                validators=[Optional(), Length(max=5000)])
    rates = FieldList(FormField(RateRow), min_entries=4, max_entries=8)
    version = HiddenField()


class ApplyForm(BaseForm):
    motivation = TextAreaField("Message au secrétariat (facultatif)", filters=[strip],
                               description="Votre projet, vos frais prévus.",
                               validators=[Optional(), Length(max=3000)])


class PaymentRow(Form):
    what = StringField("Versement", filters=[strip], validators=[Length(max=120)])
    due_on = DateField("Prévu le", validators=[Optional()])
    amount = StringField("Montant (€)", filters=[strip], render_kw={"inputmode": "decimal"})


class DecisionForm(BaseForm):
    decision = RadioField("Décision", choices=[("grant", "Accorder"), ("refuse", "Refuser")],
                          validators=[DataRequired("Choisissez : accorder ou refuser.")])
    amount = StringField("Montant accordé (€)", filters=[strip], description=AMOUNT_HELP,
                         render_kw={"inputmode": "decimal"})
    payments = FieldList(FormField(PaymentRow), min_entries=3, max_entries=4)
    comment = TextAreaField("Commentaire pour l’étudiant·e",
                            description="Obligatoire pour un refus.", filters=[strip],
                            validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class PaidForm(BaseForm):
    paid_on = DateField("Versé le", validators=[Optional()])


class ApplicationFilterForm(FilterForm):
    """The applications' filter: their state (no search box)."""

    q = None
    status = SelectField("État", default="", choices=choices([("", "Tous"), *STATUSES.items()]))
