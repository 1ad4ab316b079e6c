"""One log line per request: method, path, status and duration (the app's logger).

The query string is never written (it may carry a token or a search), and a path segment
that is a URL token (a view argument named ``*token*``: an evaluation's bearer link, a
calendar feed) is masked. The line goes to the app's logger, so it shows under
``flask run`` as under gunicorn (whose error log receives the root logger's INFO lines).
"""
from __future__ import annotations

import time

from flask import Flask, current_app, g, request

MASK = "[masqué]"


def logged_path() -> str:
    path = request.path
    for name, value in (request.view_args or {}).items():
        if "token" in name and isinstance(value, str) and value:
            path = path.replace(value, MASK)
    return path


def register(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log(response):
        started = g.pop("request_started", None)
        if started is not None:
            current_app.logger.info("%s %s %s %.1f ms", request.method, logged_path(),
                                    response.status_code,
                     (time.perf_counter() - started) * 1000)
        return response
