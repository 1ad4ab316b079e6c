"""Truly concurrent requests, for the rules the database enforces.

Each request runs in its own thread with its own test client: a thread starts with no
application context, so each request gets its own session and its own connection, and
commits for real (the tests' data is committed too, and emptied after each test). The
threads start together on a barrier. ``widened`` makes every write of a table wait a
little before it is sent, so that both requests have read (and passed the Python checks)
before either writes: without the database's rule, both would succeed every time.

The concurrent tests run on PostgreSQL (``DATABASE_URL``); SQLite serialises writers on
one file, so there they are skipped and the same rule is tested by a sequential double
submit instead.
"""
from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from tests.conftest import _postgres_server_url

on_postgres = pytest.mark.skipif(
    _postgres_server_url() is None,
    reason="truly concurrent requests need PostgreSQL (set DATABASE_URL); SQLite serialises "
           "writers, the sequential double submit covers the rule there")


def at_once(*requests):
    """Run the callables together (one thread each, released by a barrier); their results,
    in order. An exception in a request is raised here."""
    barrier = threading.Barrier(len(requests))

    def run(request):
        barrier.wait(timeout=10)
        return request()

    with ThreadPoolExecutor(len(requests)) as pool:
        futures = [pool.submit(run, r) for r in requests]
        return [f.result(timeout=30) for f in futures]


@contextmanager
def widened(engine, *tables: str, seconds: float = 0.15):
    """Every INSERT into or UPDATE of one of ``tables`` waits ``seconds`` before it is
    sent."""
    names = "|".join(re.escape(t) for t in tables)
    write = re.compile(rf"^\s*(INSERT INTO|UPDATE)\s+\"?({names})\"?\s", re.I)

    def before(conn, cursor, statement, *args):
        if write.match(statement):
            time.sleep(seconds)

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
