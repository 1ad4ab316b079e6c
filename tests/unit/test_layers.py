"""The layers hold: the rules import nothing of Flask, and the domain's services never reach
the web layer (no request, no url_for, nothing from app.web), so a scheduled job, the CLI or
a test calls them as a page does, without a fake request."""
from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
WEB_NAMES = {"request", "url_for", "session", "g", "redirect", "render_template", "flash"}
# the modules that are the web layer (views, forms, the app factory and its CLI); a domain's
# views may be in several modules, each named ``…routes.py``
WEB_MODULES = {"forms.py", "views.py", "__init__.py", "cli.py", "auth.py", "errors.py",
               "home.py", "dashboard.py"}


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, set()


def _domain_modules():
    for path in APP.rglob("*.py"):
        parts = path.relative_to(APP).parts
        if (parts[0] in ("web", "rules") or path.name in WEB_MODULES
                or path.name.endswith("routes.py")):
            continue
        yield path


def test_the_services_do_not_reach_the_web_layer():
    found = []
    for path in _domain_modules():
        for module, names in _imports(path):
            if module.startswith("app.web") or (module == "flask" and names & WEB_NAMES):
                found.append(f"{path.relative_to(APP)}: {module} {sorted(names)}")
    assert found == []


def test_the_rules_import_nothing_of_flask_or_the_database():
    found = []
    for path in (APP / "rules").rglob("*.py"):
        for module, _names in _imports(path):
            if module.split(".")[0] in ("flask", "flask_babel", "sqlalchemy") or (
                    module.startswith("app.") and not module.startswith("app.rules")):
                found.append(f"{path.relative_to(APP)}: {module}")
    assert found == []


def test_the_domains_depend_on_each_other_one_way():
    """Between two domains, the code outside the pages (services, checks, documents) calls
    one way only; where both must react, one sends an event (app/events.py). Reading another
    domain's models in a query is not a dependency on its code, and a page may show what
    several domains hold."""
    domains = {p.name for p in APP.iterdir() if (p / "__init__.py").exists()} - {"web", "rules"}
    calls: dict[tuple[str, str], list[str]] = {}
    for path in _domain_modules():
        source = path.relative_to(APP).parts[0]
        for module, _names in _imports(path):
            parts = module.split(".")
            if (len(parts) > 1 and parts[0] == "app" and parts[1] in domains
                    and parts[1] != source and parts[-1] != "models"):
                calls.setdefault((source, parts[1]), []).append(
                    f"{path.relative_to(APP)} → {module}")
    both_ways = sorted(f"{a} ↔ {b}: {calls[(a, b)] + calls[(b, a)]}"
                       for (a, b) in calls if (b, a) in calls and a < b)
    assert both_ways == []


def test_no_module_outgrows_what_one_holds_in_mind():
    """About 400 lines at most: a bigger module splits along its sections (README, Layout)."""
    sizes = {str(p.relative_to(APP)): len(p.read_text(encoding="utf-8").splitlines())
             for p in APP.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 400} == {}
