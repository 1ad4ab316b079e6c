from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.web.forms import BaseForm, strip


class ApplyForm(BaseForm):
    message = TextAreaField(
        "Message de motivation",
        validators=[DataRequired("Écrivez quelques lignes de motivation."), Length(max=5000)],
        filters=[strip],
        description="Pourquoi cette offre, ce que vous apportez, vos disponibilités.")
    cv = FileField("CV (PDF, 5 Mo au plus)", validators=[FileRequired("Joignez votre CV en PDF.")])


class StatusForm(BaseForm):
    status = SelectField("Nouveau statut", validate_choice=False)
    comment = TextAreaField("Commentaire pour l’étudiant·e (facultatif)",
                            validators=[Optional(), Length(max=2000)], filters=[strip])
    version = HiddenField()
