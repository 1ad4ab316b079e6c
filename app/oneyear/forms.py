from __future__ import annotations

from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.oneyear.services import MAX_CHARS
from app.web.forms import BaseForm, strip

REQUIRED = "Ce champ est obligatoire."


class OneYearForm(BaseForm):
    changed = TextAreaField(
        "Qu’est-ce que le stage a changé dans le travail de l’équipe ?",
        description="Une façon de faire, un outil, une organisation qui est restée.",
        filters=[strip], validators=[DataRequired(REQUIRED), Length(max=MAX_CHARS)])
    inspired = TextAreaField(
        "Une innovation ou un progrès qu’il a inspiré (facultatif)",
        filters=[strip], validators=[Optional(), Length(max=MAX_CHARS)])
    consent = BooleanField(
        "J’accepte que ma réponse soit publiée comme bonne pratique, liée à l’organisme, "
        "pour les étudiant·es du département (après relecture par l’équipe)")
