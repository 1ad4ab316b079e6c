from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.applications.models import STATUSES
from app.rules.parsing import int_or_none
from app.web.forms import BaseForm, FilterForm, choices, search_field, strip


class ApplyForm(BaseForm):
    message = TextAreaField(
        "Message de motivation",
        validators=[DataRequired("Écrivez quelques lignes de motivation."), Length(max=5000)],
        filters=[strip],
        description="Pourquoi cette offre, ce que vous apportez, vos disponibilités.")
    cv = FileField("CV (PDF, 5 Mo au plus)", validators=[FileRequired("Joignez votre CV en PDF.")])


class ApplicationFilterForm(FilterForm):
    """The staff's list; ``offer`` and ``student`` narrow it from an offer's or a student's
    page (kept as hidden values, an id that is not one is ignored)."""
    q = search_field("Rechercher (étudiant·e, offre, organisme)")
    status = SelectField("Statut", default="", choices=choices([("", "Tous"), *STATUSES.items()]))
    offer = HiddenField(filters=[int_or_none])
    student = HiddenField(filters=[int_or_none])
