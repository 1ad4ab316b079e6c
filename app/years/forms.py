from __future__ import annotations

from wtforms import DateField, DecimalField, HiddenField, IntegerField
from wtforms.validators import DataRequired, NumberRange, Optional

from app.offers.forms import sensible_year
from app.web.forms import BaseForm

REQUIRED = "Ce champ est obligatoire."


class YearForm(BaseForm):
    start_year = IntegerField("Année de rentrée", description="2026 pour l’année 2026-2027.",
                              validators=[DataRequired(REQUIRED),
                                          NumberRange(2000, 2100, "Année invalide.")])
    earliest_start = DateField("Début de stage au plus tôt",
                               description="Vide : le 8 avril du printemps de l’année.",
                               validators=[Optional(), sensible_year])
    min_weeks = IntegerField("Durée minimale (semaines)", default=12,
                             validators=[DataRequired(REQUIRED), NumberRange(1, 26,
                                                                            "Entre 1 et 26.")])
    max_weeks = IntegerField("Durée maximale (semaines)", default=16,
                             validators=[DataRequired(REQUIRED), NumberRange(1, 26,
                                                                            "Entre 1 et 26.")])
    tutee_limit = IntegerField("Tutorés par enseignant (maximum)", default=16,
                               validators=[DataRequired(REQUIRED),
                                           NumberRange(1, 24, "Entre 1 et 24 (plafond "
                                                              "national).")])
    programme_hours = IntegerField(
        "Volume horaire annuel de la formation (heures)",
        description="Mention obligatoire de chaque convention (D124-4) : à renseigner avant "
                    "la première validation.",
        validators=[Optional(), NumberRange(1, 3000, "Entre 1 et 3 000 heures.")])
    defense_gap_days = IntegerField(
        "Délai avant la soutenance (jours)", default=0,
        description="Jours au moins entre la fin du stage et la soutenance (0 : dès le "
                    "dernier jour du stage).",
        validators=[Optional(), NumberRange(0, 120, "Entre 0 et 120 jours.")])
    version = HiddenField()


class RateForm(BaseForm):
    year = IntegerField("Année civile", validators=[DataRequired(REQUIRED),
                                                    NumberRange(2000, 2100, "Année invalide.")])
    hourly_rate = DecimalField("Taux horaire minimum (€)", places=2,
                               validators=[DataRequired(REQUIRED),
                                           NumberRange(0.01, 99.99, "Taux invalide.")])
