from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.offers.forms import sensible_year
from app.tutoring.models import FOLLOW_UP_KINDS
from app.web.forms import BaseForm, FilterForm, choices, search_field, strip


class FollowUpForm(BaseForm):
    kind = SelectField("Type", choices=choices(FOLLOW_UP_KINDS.items()), default="student")
    happened_on = DateField("Date", validators=[DataRequired("Indiquez la date."),
                                                sensible_year])
    note = TextAreaField("Note", validators=[Optional(), Length(max=5000)], filters=[strip])


class PreferencesForm(BaseForm):
    domains = SelectMultipleField("Domaines que vous suivez volontiers",
                                  widget=widgets.ListWidget(prefix_label=False),
                                  option_widget=widgets.CheckboxInput(), validate_choice=False)
    cities = StringField("Villes des organismes (séparées par des virgules)",
                         validators=[Optional(), Length(max=500)], filters=[strip])
    taught = SelectMultipleField("Étudiant·es de BUT3 que vous avez eu·es en cours",
                                 coerce=int, validate_choice=False)


class TeacherSettingsForm(BaseForm):
    is_coordinator = BooleanField("Coordinateur·rice des stages (affecte les tuteurs)")
    tutee_capacity = IntegerField("Tutorés au plus (vide : la limite de l’année)",
                                  validators=[Optional(), NumberRange(0, 24, "Entre 0 et 24.")])


class TuteeFilterForm(FilterForm):
    """The tutoring board's search (both lists, by name)."""

    q = search_field("Rechercher un·e étudiant·e")
