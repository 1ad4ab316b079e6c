"""Outgoing email.

``queue`` is what the services call: it adds the message to the outbox in the caller's
transaction (the caller commits), and the message leaves after that commit
(``app/notifications/outbox.py``). ``deliver`` is what the outbox's sender calls: SMTP
configured by environment, or the log when no ``MAIL_SERVER`` is set.
"""
from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage

from flask import current_app

from app.extensions import db

_LINK = re.compile(r"https?://\S+")
MASKED = "[lien masqué]"


def masked(body: str) -> str:
    """``body`` without its links: a link may carry a bearer token (an evaluation's), and
    whoever reads the log must not be able to use it."""
    return _LINK.sub(MASKED, body)


def queue(to: str, subject: str, body: str) -> None:
    """Add one message to the outbox, in the current transaction: it is sent once that
    transaction commits, and never if it rolls back."""
    from app.notifications import outbox

    outbox.add(db.session, to, subject, body)


class DeliveryError(Exception):
    """The mail server refused the message or could not be reached."""


def deliver(to: str, subject: str, body: str) -> None:
    """Send one message now; raises ``DeliveryError`` when it could not be sent. Without a
    mail server the message goes to the log, its links masked."""
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        current_app.logger.info("Email (not sent, no MAIL_SERVER) to %s: %s\n%s", to, subject,
                                masked(body))
        return
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"],
                          timeout=cfg.get("MAIL_TIMEOUT", 10)) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as err:
        raise DeliveryError(f"{type(err).__name__}: {err}"[:1000]) from err
