"""The form library's own messages read as the intranet's: French typography (curly
apostrophe, non-breaking space before « : »), « obligatoire » as every form says."""
from werkzeug.datastructures import MultiDict
from wtforms import DecimalField, EmailField, IntegerField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.rules.formatting import french_typography
from app.web.forms import BaseForm


class _Form(BaseForm):
    amount = DecimalField("Montant", validators=[Optional()])
    count = IntegerField("Nombre", validators=[Optional()])
    name = StringField("Nom", validators=[DataRequired(), Length(min=3)])
    email = EmailField("Courriel", validators=[Optional(), Email()])


def test_the_library_messages_are_in_french_typography(app):
    with app.test_request_context(method="POST"):
        form = _Form(MultiDict({"amount": "douze", "count": "1,5", "name": "",
                                "email": "pas-une-adresse"}), meta={"csrf": False})
        assert not form.validate()
    assert form.errors["amount"] == ["N’est pas une valeur décimale valide."]
    assert form.errors["count"] == ["N’est pas un entier valide."]
    assert form.errors["name"] == ["Ce champ est obligatoire."]
    assert all("'" not in m for messages in form.errors.values() for m in messages)
    with app.test_request_context(method="POST"):
        short = _Form(MultiDict({"name": "ab"}), meta={"csrf": False})
        short.validate()
    assert short.errors["name"] == ["Le champ doit contenir au moins 3 caractères."]


def test_french_typography():
    assert french_typography("L'adresse : invalide !") == "L’adresse\u00a0: invalide\u00a0!"
