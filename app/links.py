"""The intranet's addresses for the code that is not a view: services, the worker, the CLI.

A path is built from the application's URL map (the route names are the one vocabulary for
pages); an address in an email is that path on ``PUBLIC_URL``. Nothing here reads a request,
so a service gives the same link whether a page, a scheduled job or a test calls it.
"""
from __future__ import annotations

from flask import current_app


def path(endpoint: str, **values) -> str:
    """The path of a page, e.g. ``path("conventions.show", convention_id=3)``."""
    root = current_app.config.get("APPLICATION_ROOT") or "/"
    adapter = current_app.url_map.bind("intranet", script_name=root)
    return adapter.build(endpoint, values)


def external(page: str | None) -> str | None:
    """``page`` (a path of the intranet) as an address for an email, on ``PUBLIC_URL``
    (required in production); None without one (nothing to link to)."""
    root = current_app.config.get("PUBLIC_URL") or ""
    return root.rstrip("/") + page if page and root else None
