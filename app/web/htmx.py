"""The only module that knows about htmx-flask: the rest of the app asks here."""
from __future__ import annotations

from flask import Response, redirect, request, url_for


def is_htmx() -> bool:
    return bool(getattr(request, "htmx", False))


def wants_fragment() -> bool:
    """An htmx request that swaps part of a page (not boosted, not a history restore)."""
    hx = getattr(request, "htmx", None)
    return bool(hx) and not hx.boosted and not hx.history_restore_request


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path of this site (``/…``, no scheme, no host, no backslash
    that a browser would read as ``/``), else None: where a form may send the user back."""
    from urllib.parse import urlsplit

    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(c.isspace() or not c.isprintable() for c in target):
        return None  # a browser drops tabs and newlines: "/\t/evil" would become "//evil"
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def redirect_to(location: str) -> Response:
    """Redirect after a successful write: HX-Redirect for htmx, 303 otherwise."""
    if is_htmx():
        resp = Response(status=204)
        resp.headers["HX-Redirect"] = location
        return resp
    return redirect(location, code=303)


MAX_RETURN_PATH = 2000


def return_path() -> str | None:
    """Where the login page sends the user back: this GET request's path and query, unless
    it is too long to travel in an address."""
    if request.method != "GET":
        return None
    path = request.full_path
    if path.endswith("?"):
        path = path[:-1]
    if len(path) > MAX_RETURN_PATH:
        path = request.path  # without its query
    return path if len(path) <= MAX_RETURN_PATH else None


def redirect_to_login(status: int = 401) -> Response:
    """An htmx request without a session gets a 401 and a full-page redirect."""
    login = url_for("accounts.login", next=return_path())
    resp = Response(status=status)
    resp.headers["HX-Redirect"] = login
    return resp
