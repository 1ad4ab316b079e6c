"""Instrumentation for the benchmark only (BENCH_INSTRUMENT=1): a hello-world endpoint, the
framework's ceiling, and the number of SQL queries of each request in a response header."""
from __future__ import annotations

import contextlib

from flask import Flask, g
from sqlalchemy import event


def register(app: Flask) -> None:
    if not app.config.get("BENCH_INSTRUMENT"):
        return
    from app.extensions import db

    @app.get("/bench/hello")
    def bench_hello():
        return "hello"

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):
        with contextlib.suppress(RuntimeError):  # outside a request
            g.bench_queries = g.get("bench_queries", 0) + 1

    @app.after_request
    def header(response):
        response.headers["X-Query-Count"] = str(g.get("bench_queries", 0))
        return response
