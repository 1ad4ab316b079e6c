from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length, Optional

from app.rules.budget import CATEGORIES
from app.web.forms import BaseForm, strip


class LineForm(BaseForm):
    category = SelectField("Poste", choices=[("", "— Choisir —"), *CATEGORIES.items()])
    label = StringField("Détail (facultatif)", filters=[strip],
                        validators=[Optional(), Length(max=120)])
    amount = StringField("Montant (€)", filters=[strip], render_kw={"inputmode": "decimal"},
                         description="Par exemple 450 ou 450,50.")
    timing = SelectField("Quand", choices=[])


class ShareForm(BaseForm):
    shared = BooleanField("Partager ce budget avec mon enseignant·e référent·e")
