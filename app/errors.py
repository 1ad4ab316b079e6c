"""Domain errors raised by services and turned into messages by routes."""
from __future__ import annotations

from flask_babel import gettext as _


class DomainError(Exception):
    """A rule refused the action; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None):
        message = str(message)   # a lazily translated text is translated once, here
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEdit(DomainError):
    def __init__(self, what: str | None = None):
        what = what or _("cette fiche")
        super().__init__(
            _("Quelqu’un d’autre a modifié %(what)s pendant que vous l’éditiez. Vos changements "
              "n’ont pas été enregistrés : rechargez la page pour voir la version actuelle, puis "
              "refaites-les.", what=what),
            field=None,
        )
