from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.internships.forms import MultiCheckboxField
from app.offers.forms import sensible_year
from app.rules import abroad as rules
from app.web.forms import BaseForm, choices, strip

DATE = "Date invalide (jj/mm/aaaa)."


def _date(label: str) -> DateField:
    return DateField(label, validators=[Optional(), sensible_year])


class PreparationForm(BaseForm):
    """Every field of the checklist; each item's small form posts only its own."""

    erasmus = BooleanField("Stage financé par Erasmus+")
    passport_on = _date("Passeport ou visa obtenu le")
    file = FileField("Attestation (PDF)")
    ariane_on = _date("Inscription sur Ariane le")
    contact_abroad = StringField("Contact d’urgence sur place (nom, téléphone)",
                                 validators=[Optional(), Length(max=300)], filters=[strip])
    contact_france = StringField("Contact d’urgence en France (nom, téléphone)",
                                 validators=[Optional(), Length(max=300)], filters=[strip])
    departure_on = _date("Départ le")
    return_on = _date("Retour le")
    la_student_on = _date("Signé par l’étudiant·e le")
    la_school_on = _date("Signé par l’établissement le")
    la_host_on = _date("Signé par l’organisme d’accueil le")
    version = HiddenField()


class MandatoryForm(BaseForm):
    mandatory = MultiCheckboxField("Éléments obligatoires avant la validation de la convention",
                                   choices=choices((code, label) for code, (label, _) in
                                                   rules.ITEMS.items()))


class AdviceForm(BaseForm):
    country = StringField("Pays", validators=[DataRequired("Indiquez le pays."),
                                              Length(max=80)], filters=[strip])
    level = SelectField("Niveau", choices=choices([("", "— Choisir —"), *rules.LEVELS.items()]),
                        validators=[DataRequired("Choisissez un niveau.")])
    note = TextAreaField("Précisions (régions concernées, date de l’avis…)",
                         validators=[Optional(), Length(max=2000)], filters=[strip])
    pay_rule = TextAreaField("Règle de gratification des stagiaires dans ce pays (information "
                             "reprise dans la convention bilingue)",
                             validators=[Optional(), Length(max=2000)], filters=[strip])


class TipForm(BaseForm):
    kind = SelectField("Type", choices=[("", "— Choisir —"), *choices(rules.TIP_KINDS.items())],
                       validators=[DataRequired("Choisissez le type de conseil.")])
    city = StringField("Ville (vide : tout le pays)", validators=[Optional(), Length(max=120)],
                       filters=[strip])
    body = TextAreaField("Votre conseil", validators=[DataRequired("Écrivez votre conseil."),
                                                      Length(max=3000)], filters=[strip])
    contact = StringField("Comment vous joindre (pour « Garder le contact »)",
                          validators=[Optional(), Length(max=300)], filters=[strip])
