from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.models import COHORTS, ROLES, TRACKS
from app.web.forms import BaseForm, FilterForm, choices, search_field, strip

REQUIRED = "Ce champ est obligatoire."


class LoginForm(BaseForm):
    email = EmailField("Adresse électronique", validators=[DataRequired(REQUIRED), Length(max=254)],
                       filters=[strip])
    password = PasswordField("Mot de passe", validators=[DataRequired(REQUIRED), Length(max=200)])
    next = HiddenField()


class PasswordForm(BaseForm):
    current_password = PasswordField("Mot de passe actuel", validators=[DataRequired(REQUIRED)])
    password = PasswordField("Nouveau mot de passe",
                             validators=[DataRequired(REQUIRED), Length(max=200)],
                             description="Au moins 10 caractères.")
    confirm = PasswordField("Confirmez le nouveau mot de passe",
                            validators=[DataRequired(REQUIRED)])


class UserForm(BaseForm):
    first_name = StringField("Prénom", validators=[DataRequired(REQUIRED), Length(max=80)],
                             filters=[strip])
    last_name = StringField("Nom", validators=[DataRequired(REQUIRED), Length(max=80)],
                            filters=[strip])
    email = EmailField("Adresse électronique",
                       validators=[DataRequired(REQUIRED), Length(max=254)], filters=[strip])
    role = SelectField("Rôle", choices=choices(ROLES.items()), validators=[DataRequired(REQUIRED)])
    cohort = SelectField("Promotion (étudiants)",
                         choices=choices([("", "—")] + [(c, c) for c in COHORTS]),
                         validators=[Optional()])
    group_name = StringField("Groupe (étudiants)", validators=[Optional(), Length(max=20)],
                             filters=[strip])
    track = SelectField("Parcours (étudiants)", choices=choices([("", "—")] + list(TRACKS.items())),
                        validators=[Optional()])
    password = PasswordField(
        "Mot de passe initial", validators=[Optional(), Length(max=200)],
        description="Laissez vide pour générer un mot de passe provisoire, affiché une seule fois.",
    )


class ImportForm(BaseForm):
    file = FileField("Fichier CSV des étudiants", validators=[
        FileRequired("Choisissez un fichier CSV."),
        FileAllowed(["csv", "txt"], "Seuls les fichiers .csv sont acceptés."),
    ])


class UserFilterForm(FilterForm):
    q = search_field("Rechercher (nom, adresse électronique)")
    role = SelectField("Rôle", default="", choices=choices([("", "Tous"), *ROLES.items()]))
    status = SelectField("État", default="", choices=choices(
        [("", "Tous"), ("active", "Actifs"), ("inactive", "Désactivés")]))
