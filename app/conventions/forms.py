from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.conventions.models import AMENDMENT_KINDS
from app.internships.models import AGREED_UNITS
from app.offers.forms import sensible_year
from app.web.forms import BaseForm, choices, strip


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


class AmendmentForm(BaseForm):
    kind = SelectField("Objet de l’avenant", choices=choices(AMENDMENT_KINDS.items()))
    reason = TextAreaField("Motif", validators=[DataRequired("Indiquez le motif de l’avenant."),
                                                Length(max=2000)], filters=[strip])
    start_date = DateField("Nouvelle date de début", validators=[Optional(), sensible_year])
    end_date = DateField("Nouvelle date de fin", validators=[Optional(), sensible_year])
    host_tutor_name = StringField("Nouveau tuteur (nom)", validators=[Optional(), Length(max=120)],
                                  filters=[strip])
    host_tutor_email = StringField("Son adresse électronique",
                                   validators=[Optional(), Length(max=254)], filters=[strip])
    agreed_amount = DecimalField("Nouvelle gratification (€)", places=2,
                                 validators=[Optional()])
    agreed_unit = SelectField("Par", choices=choices(AGREED_UNITS.items()), default="month")
    academic_tutor_id = SelectField("Nouvel·le enseignant·e référent·e", coerce=int,
                                    validate_choice=False, default=0)
    subject = StringField("Nouveau sujet", validators=[Optional(), Length(max=200)],
                          filters=[strip])
    version = HiddenField()
