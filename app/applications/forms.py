from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.web.forms import BaseForm, strip


class ApplyForm(BaseForm):
    message = TextAreaField(
        "Message de motivation",
        validators=[DataRequired("Écrivez quelques lignes de motivation."), Length(max=5000)],
        filters=[strip],
        description="Pourquoi cette offre, ce que vous apportez, vos disponibilités.")
    cv = FileField("CV (PDF, 5 Mo au plus)", validators=[FileRequired("Joignez votre CV en PDF.")])
