"""Links sent by email to people without an account (a host tutor's evaluation, the « un an
après » questionnaire): a payload signed with the app's key, valid for some days, tied to
a nonce kept on the record so that a link can be revoked. One way to make and read them."""
from __future__ import annotations

import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

INVALID = "Ce lien n’est pas valide. Vérifiez qu’il a été copié en entier."


class LinkRefused(Exception):
    """The link cannot be used; ``message`` says why, to the person who opened it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make(salt: str, key: str, record_id: int, nonce: str) -> str:
    """``key``: the payload's name of the id (the links already sent keep theirs)."""
    return _serializer(salt).dumps({key: record_id, "n": nonce})


def record_id(salt: str, key: str, token: str, days: int, expired: str
              ) -> tuple[int | None, str]:
    """The record id and nonce a link names, or ``LinkRefused`` (``expired``: what to say
    when it is too old)."""
    try:
        data = _serializer(salt).loads(token, max_age=days * 86400)
    except SignatureExpired:
        raise LinkRefused(expired) from None
    except BadSignature:
        raise LinkRefused(INVALID) from None
    if not isinstance(data, dict):
        raise LinkRefused(INVALID)
    return data.get(key), str(data.get("n"))


def same_nonce(kept: str | None, given: str) -> bool:
    return secrets.compare_digest(kept or "", given)
