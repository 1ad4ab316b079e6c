"""The convention de stage, its avenants and the attestation de stage as PDF documents.

Pure builders: plain dataclasses say what a document states (every text already formatted in
French), the functions lay them out with ReportLab platypus and return the PDF bytes. No Flask,
no database: the routes fill the dataclasses from the models (RULES.md §3, §5).

Free texts (activities, skills, supervision…) may be thousands of characters long: they are laid
out as paragraphs that flow from page to page, never as table cells (a cell taller than a page
makes ReportLab raise LayoutError).

The package: ``data`` (the dataclasses), ``layout`` (font, styles, text helpers, pages, shared
blocks), ``articles`` (the convention's fifteen articles), ``convention`` (its parties, its annex
and the whole document), ``english`` (its English version for a host abroad), ``amendment``
(the avenant) and ``attestation``.
"""
from __future__ import annotations

from app.documents.amendment import amendment_pdf
from app.documents.articles import ARTICLE_TITLES
from app.documents.attestation import attestation_pdf
from app.documents.convention import convention_pdf
from app.documents.data import (
    AmendmentDoc,
    AttestationDoc,
    ConventionDoc,
    EnglishVersion,
    Signatory,
)
from app.documents.english import ARTICLE_TITLES_EN

__all__ = [
    "ARTICLE_TITLES", "ARTICLE_TITLES_EN",
    "AmendmentDoc", "AttestationDoc", "ConventionDoc", "EnglishVersion", "Signatory",
    "amendment_pdf", "attestation_pdf", "convention_pdf",
]
