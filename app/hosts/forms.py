from __future__ import annotations

from wtforms import EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from app.web.forms import BaseForm, FilterForm, choices, search_field, strip

REQUIRED = "Ce champ est obligatoire."


class HostForm(BaseForm):
    name = StringField("Nom de l’organisme", validators=[DataRequired(REQUIRED), Length(max=200)],
                       filters=[strip])
    siret = StringField("SIRET", validators=[Optional(), Length(max=20)], filters=[strip],
                        description="Facultatif : 14 chiffres, vérifiés avec leur clé.")
    foreign_id = StringField(
        "Identifiant dans son pays (organisme à l’étranger)", filters=[strip],
        validators=[Optional(), Length(max=40)],
        description="Numéro d’immatriculation ou de TVA : il remplace le SIRET sur la "
                    "convention.")
    address = StringField("Adresse", validators=[Optional(), Length(max=300)], filters=[strip])
    city = StringField("Ville", validators=[DataRequired(REQUIRED), Length(max=120)],
                       filters=[strip])
    country = StringField("Pays", default="France",
                          validators=[DataRequired(REQUIRED), Length(max=80)], filters=[strip])
    sector = StringField("Secteur", validators=[Optional(), Length(max=120)], filters=[strip],
                         description="Par exemple : collectivité territoriale, bibliothèque, "
                                     "entreprise du numérique.")
    headcount = IntegerField(
        "Effectif (salariés)",
        validators=[Optional(), NumberRange(min=0, max=10_000_000,
                                            message="Indiquez un effectif entre 0 et 10 000 000.")],
    )
    website = StringField("Site web", validators=[Optional(), Length(max=300)], filters=[strip])
    description = TextAreaField("Présentation", validators=[Optional(), Length(max=5000)],
                                filters=[strip])
    version = HiddenField()


class ContactForm(BaseForm):
    name = StringField("Nom", validators=[DataRequired(REQUIRED), Length(max=120)],
                       filters=[strip])
    position = StringField("Fonction", validators=[Optional(), Length(max=120)], filters=[strip])
    email = EmailField("Adresse électronique",
                       validators=[Optional(), Email("Adresse électronique invalide."),
                                   Length(max=254)], filters=[strip])
    phone = StringField("Téléphone", validators=[Optional(), Length(max=30)], filters=[strip])


class HostFilterForm(FilterForm):
    q = search_field("Rechercher (nom, ville, secteur)")
    country = SelectField("Lieu", default="", choices=choices(
        [("", "Partout"), ("france", "France"), ("abroad", "À l’étranger")]))
