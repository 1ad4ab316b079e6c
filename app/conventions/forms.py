from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from app.conventions.terms import AMENDABLE, AMENDMENT_KINDS
from app.conventions.workflow import STATUSES
from app.internships.forms import MultiCheckboxField
from app.internships.models import AGREED_UNITS
from app.offers.forms import sensible_year
from app.rules.calendar import WEEKDAY_CODES, WEEKDAY_LABELS, format_days
from app.web.forms import BaseForm, FilterForm, choices, search_field, strip


def _text(label, description=None):
    return TextAreaField(label, description=description, filters=[strip],
                         validators=[Optional(), Length(max=5000)])


class ConventionForm(BaseForm):
    supervision = _text("Modalités d’encadrement",
                        "Comment les deux tuteurs suivent le stage : points réguliers, visite…")
    payment_terms = _text("Modalités de versement de la gratification",
                          "Par exemple : mensuellement, par virement, à terme échu.")
    leave_conditions = _text("Congés et autorisations d’absence",
                             "Obligatoire pour un stage de plus de deux mois.")
    benefits = _text("Avantages", "Restauration, transport, télétravail…")
    special_hours = _text("Présence de nuit, le dimanche ou les jours fériés",
                          "Laissez vide s’il n’y en a pas.")
    social_protection = _text("Protection sociale",
                              "Assurance responsabilité civile de l’étudiant·e, couverture "
                              "accident du travail.")
    version = HiddenField()


class SignatureForm(BaseForm):
    signed_on = DateField("Signée le", validators=[DataRequired("Indiquez la date."),
                                                   sensible_year])


class SignedPdfForm(BaseForm):
    signed_on = DateField("Date de la dernière signature",
                          validators=[DataRequired("Indiquez la date."), sensible_year])
    file = FileField("Convention signée (PDF)", validators=[FileRequired("Joignez le PDF.")])
    version = HiddenField()


class EarlyEndForm(BaseForm):
    ended_on = DateField("Dernier jour de présence",
                         validators=[DataRequired("Indiquez le dernier jour de présence."),
                                     sensible_year])
    end_reason = TextAreaField("Motif de la rupture et qui l’a demandée",
                               validators=[DataRequired("Indiquez le motif de la rupture."),
                                           Length(max=2000)], filters=[strip])
    version = HiddenField()


class AmendmentForm(BaseForm):
    kind = SelectField("Objet de l’avenant",
                       choices=[("", "— Choisir —")] + choices(AMENDMENT_KINDS.items()),
                       validators=[DataRequired("Choisissez l’objet de l’avenant.")])
    reason = TextAreaField("Motif", validators=[DataRequired("Indiquez le motif de l’avenant."),
                                                Length(max=2000)], filters=[strip])
    start_date = DateField("Nouvelle date de début", validators=[Optional(), sensible_year])
    end_date = DateField("Nouvelle date de fin", validators=[Optional(), sensible_year])
    work_days = MultiCheckboxField("Jours de présence",
                                   choices=list(zip(WEEKDAY_CODES, WEEKDAY_LABELS, strict=False)))
    weekly_hours = DecimalField("Durée hebdomadaire (heures)", places=1,
                                validators=[Optional(), NumberRange(1, 48, "Entre 1 et 48.")])
    special_hours = _text("Présence de nuit, le dimanche ou les jours fériés")
    host_tutor_name = StringField("Nouveau tuteur ou nouvelle tutrice (nom)",
                                  validators=[Optional(), Length(max=120)], filters=[strip])
    host_tutor_position = StringField("Sa fonction", validators=[Optional(), Length(max=120)],
                                      filters=[strip])
    host_tutor_email = StringField("Son adresse électronique",
                                   validators=[Optional(), Length(max=254),
                                               Email("Adresse électronique invalide.")],
                                   filters=[strip])
    host_tutor_phone = StringField("Son téléphone", validators=[Optional(), Length(max=30)],
                                   filters=[strip])
    agreed_amount = DecimalField("Nouvelle gratification (€)", places=2,
                                 validators=[Optional(), NumberRange(0, 99999,
                                                                     "Montant invalide.")])
    agreed_unit = SelectField("Par", choices=choices(AGREED_UNITS.items()), default="month")
    payment_terms = _text("Modalités de versement")
    subject = StringField("Nouveau sujet", validators=[Optional(), Length(max=200)],
                          filters=[strip])
    missions = _text("Activités confiées")
    skills = _text("Compétences à acquérir")
    supervision = _text("Modalités d’encadrement")
    leave_conditions = _text("Congés et autorisations d’absence")
    benefits = _text("Avantages")
    social_protection = _text("Protection sociale")
    academic_tutor_id = SelectField("Nouvel·le enseignant·e référent·e", coerce=int,
                                    validate_choice=False)
    version = HiddenField()

    def values(self) -> dict:
        """The fields of every kind, as the terms write them: the service keeps the chosen
        kind's, and tells when what was filled is of another kind."""
        wanted = {}
        for key in {k for keys in AMENDABLE.values() for k in keys}:
            field = getattr(self, key, None)
            if field is None:
                continue
            value = field.data
            if key == "work_days":
                value = format_days(WEEKDAY_CODES.index(c) for c in value) if value else None
            wanted[key] = value
        return wanted


class _Switch(BooleanField):
    """On only when sent as ``1``, its value (as the pages' links write it)."""

    def process_formdata(self, valuelist):
        self.data = bool(valuelist) and valuelist[0] == "1"

    def _value(self):
        return "1"


def _status_or_all(value):
    """Every status, or « all » (any other value: no filter on the status)."""
    return value if value in STATUSES else "all"


class QueueFilterForm(FilterForm):
    """The secretariat's queue; by default what waits for it (``submitted``), « all » every
    status. The year is the page's year selector's (``app.web.years``)."""
    q = search_field("Rechercher (étudiant·e, organisme)")
    status = SelectField("Statut", default="submitted", filters=[_status_or_all],
                         choices=choices([("all", "Toutes (hors annulées)"), *STATUSES.items()]))
    soon = _Switch("Début dans moins de 15 jours, non signées")
