from __future__ import annotations

from wtforms import DateField, DateTimeLocalField, IntegerField, StringField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.offers.forms import sensible_year
from app.web.forms import BaseForm, strip

REQUIRED = "Ce champ est obligatoire."


class SessionForm(BaseForm):
    day = DateField("Jour", validators=[DataRequired(REQUIRED), sensible_year])
    room = StringField("Salle", validators=[DataRequired(REQUIRED), Length(max=60)],
                       filters=[strip])
    start_time = TimeField("Début", default=None, validators=[DataRequired(REQUIRED)])
    end_time = TimeField("Fin", validators=[DataRequired(REQUIRED)])
    slot_minutes = IntegerField("Durée d’un créneau (minutes)", default=30,
                                description="20 minutes de présentation et les questions.",
                                validators=[DataRequired(REQUIRED),
                                            NumberRange(15, 120, "De 15 à 120 minutes.")])


class UnavailabilityForm(BaseForm):
    starts_at = DateTimeLocalField("Du", format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired(REQUIRED)])
    ends_at = DateTimeLocalField("Au", format="%Y-%m-%dT%H:%M",
                                 validators=[DataRequired(REQUIRED)])
    reason = StringField("Motif (facultatif)", validators=[Optional(), Length(max=200)],
                         filters=[strip])
