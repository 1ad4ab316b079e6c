from __future__ import annotations

from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from app.accounts.models import COHORTS, TRACKS
from app.offers.forms import sensible_year
from app.tracks.models import CONTRACT_TYPES
from app.web.forms import BaseForm, FilterForm, choices, search_field, strip

REQUIRED = "Ce champ est obligatoire."


class TrackForm(BaseForm):
    track = SelectField("Nouveau parcours", choices=choices(TRACKS.items()))
    effective_on = DateField("Date d’effet", validators=[DataRequired(REQUIRED), sensible_year])
    reason = TextAreaField("Motif", validators=[DataRequired("Indiquez le motif du changement."),
                                                Length(max=2000)], filters=[strip])


class ApprenticeshipForm(BaseForm):
    employer_id = SelectField("Employeur (annuaire)", coerce=int, validate_choice=False)
    contract_type = SelectField("Type de contrat", choices=choices(CONTRACT_TYPES.items()))
    start_date = DateField("Début du contrat", validators=[Optional(), sensible_year])
    end_date = DateField("Fin du contrat", validators=[Optional(), sensible_year])
    rhythm = StringField("Rythme", description="Par exemple : 2 semaines à l’IUT, 3 semaines "
                                               "chez l’employeur.",
                         validators=[Optional(), Length(max=200)], filters=[strip])
    mentor_name = StringField("Maître d’apprentissage (nom)",
                              validators=[Optional(), Length(max=120)], filters=[strip])
    mentor_position = StringField("Fonction", validators=[Optional(), Length(max=120)],
                                  filters=[strip])
    mentor_email = EmailField("Adresse électronique", filters=[strip], validators=[
        Optional(), Email("Adresse électronique invalide."), Length(max=254)])
    mentor_phone = StringField("Téléphone", validators=[Optional(), Length(max=30)],
                               filters=[strip])
    version = HiddenField()


class ProjectForm(BaseForm):
    title = StringField("Titre", validators=[DataRequired(REQUIRED), Length(max=200)],
                        filters=[strip])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)],
                                filters=[strip])
    partner = StringField("Commanditaire ou partenaire", validators=[Optional(), Length(max=200)],
                          filters=[strip])
    cohort = SelectField("Promotion", choices=choices([(c, c) for c in COHORTS]))
    team_size = IntegerField("Étudiant·es par équipe (au plus)", default=4, validators=[
        DataRequired(REQUIRED), NumberRange(1, 12, "De 1 à 12.")])
    team_count = IntegerField("Nombre d’équipes", default=5, validators=[
        DataRequired(REQUIRED), NumberRange(1, 40, "De 1 à 40.")])


class ApprenticeFilterForm(FilterForm):
    q = search_field("Rechercher un·e alternant·e (nom, email)")
