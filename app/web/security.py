"""Security headers on every response, with a CSP that allows no inline script."""
from __future__ import annotations

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
])


HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response):
    from flask import current_app

    h = response.headers
    if current_app.config.get("HSTS"):
        h.setdefault("Strict-Transport-Security", HSTS)
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if response.mimetype == "text/html":
        h.setdefault("Cache-Control", "no-store")
    return response
