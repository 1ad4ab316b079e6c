from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from app.internships.cohort import STAGES, groups
from app.internships.models import AGREED_UNITS
from app.offers.forms import sensible_year
from app.rules.calendar import WEEKDAY_CODES, WEEKDAY_LABELS, ZONES
from app.web.forms import BaseForm, FilterForm, choices, search_field, strip

REQUIRED = "Ce champ est obligatoire."
SMART_HELP = ("Un objectif par ligne, SMART : Spécifique (quoi, précisément), Mesurable (un "
              "indicateur chiffré), Atteignable, Réaliste (avec les moyens du stage), "
              "Temporellement défini (une échéance).")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class InternshipForm(BaseForm):
    student_id = SelectField("Étudiant·e", coerce=int, validate_choice=False,
                             validators=[Optional()])
    host_id = SelectField("Organisme d’accueil", coerce=int, validate_choice=False,
                          validators=[Optional()])
    # A host missing from the directory, proposed from this form (checked by the secretariat)
    new_host_name = StringField("Nom de l’organisme", validators=[Optional(), Length(max=200)],
                                filters=[strip])
    new_host_city = StringField("Ville", validators=[Optional(), Length(max=120)],
                                filters=[strip])
    new_host_country = StringField("Pays", default="France",
                                   validators=[Optional(), Length(max=80)], filters=[strip])
    new_host_address = StringField("Adresse", validators=[Optional(), Length(max=300)],
                                   filters=[strip])
    new_host_siret = StringField("SIRET (en France)", validators=[Optional(), Length(max=20)],
                                 filters=[strip])
    offer_id = IntegerField("N° de l’offre (facultatif)", validators=[Optional()])
    domain = SelectField("Domaine du stage", validate_choice=False,
                         description="Repris de l’offre s’il y en a une ; il sert aux "
                                     "statistiques et au choix des tuteurs.")
    subject = StringField("Sujet du stage", validators=[DataRequired(REQUIRED), Length(max=200)],
                          filters=[strip])
    missions = TextAreaField("Missions", validators=[Optional(), Length(max=10_000)],
                             filters=[strip])
    skills = TextAreaField("Compétences à acquérir", validators=[Optional(), Length(max=5_000)],
                           filters=[strip])
    objectives = TextAreaField("Objectifs (SMART)", description=SMART_HELP,
                               validators=[Optional(), Length(max=5_000)], filters=[strip])
    start_date = DateField("Date de début", validators=[DataRequired(REQUIRED), sensible_year])
    end_date = DateField("Date de fin", validators=[DataRequired(REQUIRED), sensible_year])
    work_days = MultiCheckboxField(
        "Jours travaillés",
        choices=choices(zip(WEEKDAY_CODES[:6], [d.capitalize() for d in WEEKDAY_LABELS[:6]],
                            strict=True)),
        default=list(WEEKDAY_CODES[:5]))
    weekly_hours = DecimalField("Heures par semaine", places=1, default=35,
                                validators=[DataRequired(REQUIRED),
                                            NumberRange(0.5, 100, "Durée invalide.")])
    holidays_worked = BooleanField("Les jours fériés sont travaillés")
    zone = SelectField("Jours fériés de l’organisme", choices=choices(ZONES.items()),
                       default="metropole")
    country = StringField("Pays du stage", default="France",
                          validators=[DataRequired(REQUIRED), Length(max=80)], filters=[strip])
    host_tutor_name = StringField("Nom du tuteur ou de la tutrice",
                                  validators=[Optional(), Length(max=120)], filters=[strip])
    host_tutor_position = StringField("Fonction", validators=[Optional(), Length(max=120)],
                                      filters=[strip])
    host_tutor_email = EmailField("Adresse électronique",
                                  validators=[Optional(), Email("Adresse électronique invalide."),
                                              Length(max=254)], filters=[strip])
    host_tutor_phone = StringField("Téléphone", validators=[Optional(), Length(max=30)],
                                   filters=[strip])
    agreed_amount = DecimalField("Gratification convenue (€)", places=2,
                                 validators=[Optional(), NumberRange(0, 100_000,
                                                                     "Montant invalide.")])
    agreed_unit = SelectField("Par", choices=choices(AGREED_UNITS.items()), default="month")
    version = HiddenField()

    def __init__(self, *args, choose_student: bool = False, **kwargs):
        """``host_id``'s and ``student_id``'s options are given by the view
        (app/web/picker.py: ``fill``)."""
        super().__init__(*args, **kwargs)
        if not choose_student:
            del self.student_id

    def validate_work_days(self, field):
        if not field.data:
            raise ValidationError("Cochez au moins un jour travaillé.")

    @property
    def proposes_host(self) -> bool:
        """No host chosen in the directory, one described below it instead."""
        return not self.host_id.data and bool(self.new_host_name.data)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.host_id.data or self.new_host_name.data:
            if self.proposes_host and not self.new_host_city.data:
                self.new_host_city.errors = [*self.new_host_city.errors,
                                             "Indiquez la ville de l’organisme."]
                ok = False
            return ok
        self.host_id.errors = [*self.host_id.errors,
                               "Choisissez l’organisme d’accueil dans l’annuaire, ou "
                               "proposez-le ci-dessous s’il n’y est pas."]
        return False


class AbsenceForm(BaseForm):
    start_date = DateField("Du", validators=[DataRequired(REQUIRED), sensible_year])
    end_date = DateField("Au", validators=[DataRequired(REQUIRED), sensible_year])
    reason = StringField("Motif (facultatif)", validators=[Optional(), Length(max=200)],
                         filters=[strip])


class PaidForm(BaseForm):
    """The gratification the host paid in all, after the internship (the attestation)."""

    amount = DecimalField("Gratification totale versée (€)", places=2,
                          validators=[DataRequired("Indiquez la gratification totale versée, "
                                                   "en euros."),
                                      NumberRange(0, 100_000, "Montant invalide.")])
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.amount.id, self.version.id = "paid", "paid-version"  # unique on the page


def _group_choices():
    return choices([("", "Tous"), *((g, g) for g in groups())])


class CohortFilterForm(FilterForm):
    """The BUT3 follow-up's search and filters (the view and the year are the page's own).
    A group not in the list still filters (none found), as its address says."""

    q = search_field("Rechercher un·e étudiant·e")
    stage = SelectField("Étape", default="", choices=choices([("", "Toutes"), *STAGES.items()]))
    group = SelectField("Groupe", default="", choices=_group_choices, validate_choice=False,
                        filters=[strip, lambda value: value[:20] if value else value])
