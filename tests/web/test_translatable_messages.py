"""The services' messages are wrapped for translation like the templates': each is one text
with named placeholders that the extraction finds, and a catalog translates it for the user."""
from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo

from app.extensions import babel
from tests.conftest import text

ROOT = Path(__file__).resolve().parents[2]
ALREADY = "Vous avez déjà candidaté à cette offre le %(date)s (statut : %(status)s)."


def _extracted() -> set[str]:
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        from babel.messages.frontend import parse_mapping_cfg

        method_map, options_map = parse_mapping_cfg(f)
    return {message if isinstance(message, str) else message[0]
            for _, _, message, _, _ in extract_from_dir(
                str(ROOT), method_map, options_map, keywords={"_": None, "_l": None})}


def test_the_extraction_finds_the_services_messages_and_the_templates():
    found = _extracted()
    assert ALREADY in found                                   # a service's refusal
    assert "Validation impossible : %(problems)s" in found    # the convention's checks
    assert "Seul le secrétariat peut faire cela." in found    # a lazily translated constant
    assert "Enseignant·e référent·e" in found                 # a template's text


def _literal_text(node) -> bool:
    """Whether ``node`` is (or concatenates) text written in place instead of a translation."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) or _literal_text(node.right)
    return False


def test_no_domain_error_is_raised_with_untranslated_text():
    untranslated = []
    for path in (ROOT / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("DomainError", "StaleEdit") and node.args
                    and _literal_text(node.args[0])):
                untranslated.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert untranslated == []


@pytest.fixture
def english(app, tmp_path):
    """A catalog for the app's locale that puts one service message into English."""
    catalog = Catalog(locale="fr")
    catalog.add(ALREADY, "You already applied to this offer on %(date)s (status: %(status)s).")
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as f:
        write_mo(f, catalog)
    config = app.extensions["babel"]
    kept = config.translation_directories
    config.translation_directories = [str(tmp_path)]
    babel.domain_instance.cache.clear()
    yield
    config.translation_directories = kept
    babel.domain_instance.cache.clear()


def test_a_service_refusal_reaches_the_user_through_the_catalog(as_role, make, pdf, english):
    b = as_role("student")
    offer = make.offer()
    for _ in range(2):
        resp = b.client.post(f"/offres/{offer.id}/candidater", data={
            "csrf_token": b.token, "message": "Très motivée par ce stage.",
            "cv": (io.BytesIO(pdf), "cv.pdf")}, content_type="multipart/form-data")
    page = text(resp)
    assert "You already applied to this offer on" in page
    assert "(status: envoyée)" in page                     # the placeholders are filled in
    assert "Vous avez déjà candidaté" not in page
