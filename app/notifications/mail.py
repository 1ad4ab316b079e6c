"""Outgoing email through SMTP configured by environment; printed to the log when unset."""
from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage

from flask import current_app


_LINK = re.compile(r"https?://\S+")
MASKED = "[lien masqué]"


def masked(body: str) -> str:
    """``body`` without its links: a link may carry a bearer token (an evaluation's), and
    whoever reads the log must not be able to use it."""
    return _LINK.sub(MASKED, body)


def send(to: str, subject: str, body: str) -> bool:
    """Send one message; returns False (and logs) when it could not be sent."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    if not cfg.get("MAIL_SERVER"):
        current_app.logger.info("Email (not sent, no MAIL_SERVER) to %s: %s\n%s", to, subject,
                                masked(body))
        return True
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            smtp.send_message(msg)
        return True
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Email to %s could not be sent", to)
        return False
