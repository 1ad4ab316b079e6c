from __future__ import annotations

from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.offers.services import domains
from app.web.forms import BaseForm, FilterForm, choices, search_field, strip

REQUIRED = "Ce champ est obligatoire."


def _area(label, required=False, description=None):
    validators = [DataRequired(REQUIRED)] if required else [Optional()]
    return TextAreaField(label, description=description, filters=[strip],
                         validators=validators + [Length(max=5000)])


class FeedbackForm(BaseForm):
    about_host = _area("Sur l’organisme : accueil, missions, ambiance", required=True,
                       description="Critique et objectif : ce qui était bien, ce qui l’était "
                                   "moins.")
    about_place = _area("Sur la ville ou le pays : logement, transports, adresses")
    pitfalls = _area("Ce qu’il faut faire, et les pièges à éviter")
    contact_ok = BooleanField("J’accepte d’être contacté·e par les futurs stagiaires de cet "
                              "organisme (mon adresse sera visible des étudiant·es connecté·es)")
    version = HiddenField()


class PracticeForm(BaseForm):
    title = StringField("Titre", validators=[DataRequired(REQUIRED), Length(max=200)],
                        filters=[strip])
    domain = SelectField("Domaine")
    host_id = SelectField("Organisme où vous l’avez vue (facultatif)", coerce=int,
                          validate_choice=False)
    context = _area("Contexte")
    description = _area("La bonne pratique", required=True)


class HostProposalForm(BaseForm):
    name = StringField("Nom de l’organisme", validators=[DataRequired(REQUIRED),
                                                         Length(max=200)], filters=[strip])
    city = StringField("Ville", validators=[DataRequired(REQUIRED), Length(max=120)],
                       filters=[strip])
    country = StringField("Pays", default="France", validators=[Optional(), Length(max=80)],
                          filters=[strip])
    why = _area("Pourquoi le recommandez-vous ?", required=True)


class DebriefForm(BaseForm):
    my_side = _area("Ce qui n’a pas marché de mon côté")
    host_side = _area("Ce qui n’a pas marché du côté de l’organisme")
    lesson_1 = _area("Leçon concrète n° 1")
    lesson_2 = _area("Leçon concrète n° 2")
    lesson_3 = _area("Leçon concrète n° 3")
    interview_sentence = _area("La phrase avec laquelle je le raconterai en entretien")
    shared_with_tutor = BooleanField("Partager cette page avec mon enseignant·e référent·e")


def _domain_choices():
    return choices([("", "Tous"), *domains().items()])


class PracticeFilterForm(FilterForm):
    q = search_field("Rechercher")
    domain = SelectField("Domaine", default="", choices=_domain_choices)  # the app's domains
