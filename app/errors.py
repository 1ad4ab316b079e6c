"""Domain errors raised by services and turned into messages by routes."""
from __future__ import annotations


class DomainError(Exception):
    """A rule refused the action; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEdit(DomainError):
    def __init__(self, what: str = "cette fiche"):
        super().__init__(
            f"Quelqu’un d’autre a modifié {what} pendant que vous l’éditiez. "
            "Vos changements n’ont pas été enregistrés : rechargez la page pour voir la version "
            "actuelle, puis refaites-les.",
            field=None,
        )


class Forbidden(DomainError):
    pass
