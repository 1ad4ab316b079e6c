"""Render a page, or only one of its blocks when htmx asks for a fragment."""
from __future__ import annotations

from flask import make_response, render_template
from flask_wtf import FlaskForm
from jinja2_fragments.flask import render_block, render_blocks

from app.web.htmx import wants_fragment


def render(template: str, block: str | list[str] | None = None, status: int = 200,
           **context):
    """Whole page normally; only ``block`` for a non-boosted htmx request.

    ``block`` may list several blocks: the first is the target, the others come along as
    out-of-band swaps (their root element carries ``data-hx-swap-oob`` when ``oob`` is set).
    The same template serves both, so the markup exists once.
    """
    # base.html prefixes the page's title with « Erreur : » when a form of the page has errors.
    context.setdefault("form_has_errors", any(
        isinstance(value, FlaskForm) and bool(value.errors) for value in context.values()))
    if block and wants_fragment() and isinstance(block, (list, tuple)):
        body = render_blocks(template, list(block), oob=True, **context)
    elif block and wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    resp = make_response(body, status)
    resp.vary.add("HX-Request")
    return resp
