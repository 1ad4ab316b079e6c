"""The benchmark: seed, serve with gunicorn, load with wrk, report to bench/REPORT.md.

    python bench/run.py            # small scale, a few minutes at most
    python bench/run.py --full     # university scale (150,000 internships...)

For each database (SQLite, then PostgreSQL when reachable) it migrates a fresh database,
seeds it, serves the app with one gunicorn worker (one core), and drives each page with wrk
from a second process. It fails (exit 1) when a page answers an error, or when the number of
SQL queries of a page grows after more data is added.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
PG_SERVER = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(url: str) -> dict:
    env = dict(os.environ)
    env.update(DATABASE_URL=url, FLASK_CONFIG="production", SECRET_KEY="bench-secret-key",
               BENCH_INSTRUMENT="1", LOGIN_RATE_LIMIT="1000 per minute",
               SESSION_COOKIE_SECURE="0", RATELIMIT_ENABLED="0")
    return env


def run(cmd, env, **kw):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, text=True,
                          capture_output=True, **kw)


def pg_available() -> bool:
    try:
        import psycopg
        with psycopg.connect(PG_SERVER.replace("postgresql+psycopg", "postgresql"),
                             connect_timeout=3):
            return True
    except Exception:
        return False


def fresh_database(kind: str) -> str:
    if kind == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / "bench.db"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS intranet_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE intranet_bench")
    return PG_SERVER.rsplit("/", 1)[0] + "/intranet_bench"


class Server:
    def __init__(self, url: str):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "--workers", "1", "--threads", "1",
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "wsgi:app"],
            env=env_for(url), cwd=ROOT)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/bench/hello", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def login(base: str, email: str) -> tuple[urllib.request.OpenerDirector, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/connexion").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"email": email, "password": PASSWORD,
                                   "csrf_token": token}).encode()
    opener.open(base + "/connexion", data)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return opener, cookie


def probe(base: str, path: str, cookie: str, htmx: bool) -> tuple[int, int]:
    headers = {"Cookie": cookie}
    if htmx:
        headers["HX-Request"] = "true"
    req = urllib.request.Request(base + path, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, int(resp.headers.get("X-Query-Count", "-1"))
    except urllib.error.HTTPError as err:
        return err.code, -1


def wrk(base: str, path: str, cookie: str, htmx: bool, seconds: int) -> dict:
    cmd = ["wrk", "-t1", "-c1", f"-d{seconds}s", "--timeout", "10s", "-s",
           str(ROOT / "bench" / "report.lua"), "-H", f"Cookie: {cookie}"]
    if htmx:
        cmd += ["-H", "HX-Request: true"]
    out = subprocess.run(cmd + [base + path], capture_output=True, text=True, check=True).stdout
    m = re.search(r"RESULT rps=([\d.]+) p50=(\d+) p95=(\d+) errors=(\d+) requests=(\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(m.group(1)), "p50_ms": int(m.group(2)) / 1000,
            "p95_ms": int(m.group(3)) / 1000,
            "errors": int(m.group(4)) + (int(non2xx.group(1)) if non2xx else 0)}


def pages(ids: dict) -> list[tuple[str, str, str, bool]]:
    """(name, path, who, htmx)"""
    return [
        ("Accueil (étudiant·e)", "/", "student", False),
        ("Accueil (secrétariat)", "/", "secretariat", False),
        ("Offres (liste)", "/offres/", "student", False),
        ("Offres (liste, dernière page)", "/offres/?page=100000", "student", False),
        ("Offres (recherche active, fragment)", "/offres/?q=archives+donnees", "student", True),
        ("Offres (recherche précise, fragment)", "/offres/?q=12345", "student", True),
        ("Offre (détail)", f"/offres/{ids['offer']}", "student", False),
        ("Mes candidatures", "/candidatures", "student", False),
        ("Candidatures (secrétariat)", "/candidatures", "secretariat", False),
        ("Candidatures (secrétariat, recherche précise)", "/candidatures?q=12345",
         "secretariat", True),
        ("File des conventions", "/conventions/", "secretariat", False),
        ("File des conventions (dernière page)", "/conventions/?page=100000", "secretariat",
         False),
        ("File des conventions (recherche précise, fragment)", "/conventions/?q=12345",
         "secretariat", True),
        ("File des conventions (recherche large, fragment)", "/conventions/?q=archives",
         "secretariat", True),
        ("Candidatures (secrétariat, recherche large)", "/candidatures?q=archives",
         "secretariat", True),
        ("Suivi BUT3 (fragment, une page)", "/stages/suivi?view=sans-stage&q=Nomb0student1",
         "secretariat", True),
        ("Suivi BUT3 (toute la promotion)", "/stages/suivi", "secretariat", True),
        ("Tuteurs (vue d’ensemble)", "/tutorat/vue-ensemble", "secretariat", False),
        ("Tuteurs (affectation, coordination)", "/tutorat/", "coordinator", False),
        ("Tuteurs (recherche d’un nom précis, fragment)", "/tutorat/?q=Nomb0student12345",
         "coordinator", True),
        ("Nouveau stage (formulaire, secrétariat)", "/stages/nouveau", "secretariat", False),
        ("Choix d’un organisme (recherche, fragment)",
         "/organismes/choix?field=host_id&host_id_q=archives", "secretariat", True),
        ("Soutenances (planning)", "/soutenances/", "secretariat", False),
        ("Alternant·es", "/alternants", "secretariat", False),
        ("Statistiques de l’année", "/statistiques/", "secretariat", False),
        ("Gratification (API JSON)", "/api/v1/gratification?start=2027-04-08&end=2027-06-30"
                                     "&weekly_hours=35", "student", False),
    ]


def ids_for(url: str) -> dict:
    code = ("from app import create_app\nfrom app.extensions import db\n"
            "from app.models import Offer, User, Application\nimport json\n"
            "app = create_app('production')\nwith app.app_context():\n"
            " o = db.session.query(Offer.id).filter(Offer.status=='published').first()[0]\n"
            " s = db.session.query(Application.student_id).first()[0]\n"
            " e = db.session.get(User, s).email\n"
            " print(json.dumps({'offer': o, 'student_email': e}))\n")
    return json.loads(run([PY, "-c", code], env_for(url)).stdout.strip().splitlines()[-1])


def bench_database(kind: str, scale: float, seconds: int, failures: list) -> dict:
    url = fresh_database(kind)
    env = env_for(url)
    run([PY, "-m", "flask", "--app", "wsgi", "db", "upgrade"], env)
    t0 = time.time()
    seeded = run([PY, "-c", (
        "import json,sys; sys.path.insert(0,'bench'); from seed import seed; "
        f"print(json.dumps(seed({scale}, 0)))")], env).stdout
    counts = json.loads(seeded.strip().splitlines()[-1])
    ready = int(re.search(r"READY_CONVENTION=(\d+)", seeded).group(1))
    seeded_in = time.time() - t0
    ids = ids_for(url)
    server = Server(url)
    results = {"counts": counts, "seeded_in_s": round(seeded_in, 1), "pages": []}
    try:
        cookies = {"student": login(server.base, ids["student_email"])[1],
                   "secretariat": login(server.base, "secretariat0.b0@bench.example.org")[1],
                   "coordinator": login(server.base, "teacher0.b0@bench.example.org")[1]}
        hello = wrk(server.base, "/bench/hello", "", False, seconds)
        results["hello"] = hello
        for name, path, who, htmx in pages(ids):
            status, queries = probe(server.base, path, cookies[who], htmx)
            if status != 200:
                failures.append(f"{kind}: {name} answered {status}")
            r = wrk(server.base, path, cookies[who], htmx, seconds)
            if r["errors"]:
                failures.append(f"{kind}: {name}: {r['errors']} errors under load")
            r.update(name=name, path=path, queries=queries,
                     ratio=r["rps"] / hello["rps"] if hello["rps"] else 0)
            results["pages"].append(r)
    finally:
        server.stop()
    # More data: the query count of every page must stay the same.
    run([PY, "-c", ("import sys; sys.path.insert(0,'bench'); from seed import seed; "
                    f"seed({scale / 2}, 1)")], env)
    server = Server(url)
    try:
        cookies = {"student": login(server.base, ids["student_email"])[1],
                   "secretariat": login(server.base, "secretariat0.b0@bench.example.org")[1],
                   "coordinator": login(server.base, "teacher0.b0@bench.example.org")[1]}
        for r, (name, path, who, htmx) in zip(results["pages"], pages(ids)):
            status, queries = probe(server.base, path, cookies[who], htmx)
            r["queries_more_data"] = queries
            if status != 200:
                failures.append(f"{kind}: {name} answered {status} with more data")
            if queries > r["queries"]:
                failures.append(f"{kind}: {name}: {r['queries']} → {queries} SQL queries "
                                "with more data")
    finally:
        server.stop()
    if kind == "postgresql":
        results["scale_out"] = scale_out(url, ready, failures)
    return results


def scale_out(url: str, convention_id: int, failures: list) -> str:
    """Two instances on one database: a session made on one works on the other, and two
    secretaries validating the same convention through different instances: exactly one
    succeeds, the other is told it changed."""
    import threading

    a, b = Server(url), Server(url)
    try:
        opener_a, cookie = login(a.base, "secretariat0.b0@bench.example.org")
        status, _ = probe(b.base, "/conventions/", cookie, False)
        if status != 200:
            failures.append(f"postgresql: a session made on one instance gave {status} on the "
                            "other")
            return "échec"
        opener_b, _ = login(b.base, "secretariat1.b0@bench.example.org")
        page = opener_a.open(f"{a.base}/conventions/{convention_id}").read().decode()
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        tokens = {}
        for name, opener, base in (("a", opener_a, a.base), ("b", opener_b, b.base)):
            html = opener.open(f"{base}/conventions/{convention_id}").read().decode()
            tokens[name] = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        outcomes = {}

        def validate(name, opener, base):
            data = urllib.parse.urlencode({"version": version,
                                           "csrf_token": tokens[name]}).encode()
            outcomes[name] = opener.open(
                f"{base}/conventions/{convention_id}/action/validate", data).read().decode()

        threads = [threading.Thread(target=validate, args=args) for args in
                   (("a", opener_a, a.base), ("b", opener_b, b.base))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        won = [n for n, html in outcomes.items() if "Convention validée." in html]
        stale = [n for n, html in outcomes.items() if "Quelqu’un d’autre a modifié" in html]
        code = ("from app import create_app\nfrom app.extensions import db\n"
                "from app.conventions.models import ConventionEvent as E\n"
                "app = create_app('production')\nwith app.app_context():\n"
                f" print(db.session.query(E).filter_by(convention_id={convention_id}, "
                "to_status='validated').count())\n")
        events = int(run([PY, "-c", code], env_for(url)).stdout.strip().splitlines()[-1])
        if len(won) != 1 or len(stale) != 1 or events != 1:
            failures.append(f"postgresql: double validation: {len(won)} succès, {len(stale)} "
                            f"refus « modifiée entre-temps », {events} validation(s) en base")
            return "échec de la double validation"
        return ("une session ouverte sur une instance est reconnue par l’autre ; deux "
                "secrétaires valident la même convention par deux instances : une réussit, "
                "l’autre est prévenue, une seule validation en base")
    finally:
        a.stop()
        b.stop()


def report(all_results: dict, scale: float, seconds: int, failures: list) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "?"
    lines = [
        "# Benchmark", "",
        f"- Date : {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · commit `{commit}`",
        f"- Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}",
        f"- Échelle : {scale} (1 = 150 000 stages, 50 000 offres, 300 000 candidatures, "
        "20 000 étudiants, 500 enseignants, 10 ans) · gunicorn 1 worker, 1 thread · "
        f"wrk 1 thread, 1 connexion (la latence est le temps de service), {seconds} s par page",
        "- *ratio* : requêtes/s de la page ÷ requêtes/s d’un « hello world » servi par le même "
        "gunicorn dans la même exécution (le plafond du framework).", "",
    ]
    for kind, res in all_results.items():
        lines += [f"## {kind}", "", f"Données : {res['counts']} (semées en "
                                       f"{res['seeded_in_s']} s).", "",
                  f"Hello world : {res['hello']['rps']:.0f} req/s, médiane "
                  f"{res['hello']['p50_ms']:.1f} ms.", "",
                  "| page | req/s | médiane (ms) | p95 (ms) | requêtes SQL | avec plus de "
                  "données | ratio |", "|---|---:|---:|---:|---:|---:|---:|"]
        for p in res["pages"]:
            lines.append(f"| {p['name']} | {p['rps']:.0f} | {p['p50_ms']:.1f} | "
                         f"{p['p95_ms']:.1f} | {p['queries']} | {p.get('queries_more_data')} | "
                         f"{p['ratio']:.2f} |")
        if res.get("scale_out"):
            lines += ["", f"Deux instances sur une base : {res['scale_out']}."]
        lines.append("")
    lines += ["## Verdict", ""]
    lines += [f"- ÉCHEC : {f}" for f in failures] or ["- Aucune page en erreur ; aucune page "
                                                       "ne fait plus de requêtes SQL avec plus "
                                                       "de données."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="university scale (slow)")
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--output", default=str(ROOT / "bench" / "REPORT.md"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    scale = 1.0 if args.full else (args.scale or 0.02)
    failures: list[str] = []
    results = {"SQLite": bench_database("sqlite", scale, args.seconds, failures)}
    if pg_available():
        results["PostgreSQL"] = bench_database("postgresql", scale, args.seconds, failures)
    else:
        failures.append("PostgreSQL injoignable : seul SQLite a été mesuré")
    text = report(results, scale, args.seconds, failures)
    Path(args.output).write_text(text, encoding="utf-8")
    print(text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
