"""The benchmark: seed, serve with gunicorn, load with wrk, report to bench/REPORT.md.

    python bench/run.py            # small scale, a few minutes at most
    python bench/run.py --full     # university scale (150,000 internships...)

For each database (SQLite, then PostgreSQL when reachable) it migrates a fresh database,
seeds it, serves the app with one gunicorn worker (one core), and drives each page with wrk
from a second process. It fails (exit 1) when a page answers an error, or when the number of
SQL queries of a page grows after more data is added. On PostgreSQL it then runs a concurrent
mix (4 workers, 32 connections, pages and racing writes of many sessions) and fails on any
5xx, socket error or lost session, or on a duplicate the database rules forbid.
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
from datetime import UTC, datetime
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


def env_for(url: str, port: int | None = None) -> dict:
    """The environment of the app in its production configuration, which requires
    ``PUBLIC_URL``: the server's own address (``port``), else a local placeholder for the
    commands that serve nothing (migrations, seeding)."""
    env = dict(os.environ)
    env.update(DATABASE_URL=url, FLASK_CONFIG="production", SECRET_KEY="bench-secret-key",
               BENCH_INSTRUMENT="1", LOGIN_RATE_LIMIT="1000 per minute",
               SESSION_COOKIE_SECURE="0", RATELIMIT_ENABLED="0",
               PUBLIC_URL=f"http://127.0.0.1:{port}" if port else "http://127.0.0.1")
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
    def __init__(self, url: str, workers: int = 1, log: Path | None = None):
        """``log``: where the server's output goes (the app's log lines, its tracebacks)."""
        self.port = free_port()
        env = env_for(url, self.port)
        env["WEB_CONCURRENCY"] = str(workers)
        self.log = log.open("w", encoding="utf-8") if log else None
        self.proc = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "--workers", str(workers), "--threads", "1",
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "wsgi:app"],
            env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT if log else None)
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
        if self.log:
            self.log.close()


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


def bench_database(kind: str, scale: float, seconds: int, failures: list,
                   mixed_seconds: int = 10) -> dict:
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
        for r, (name, path, who, htmx) in zip(results["pages"], pages(ids), strict=False):
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
        results["mixed"] = mixed(url, ready, mixed_seconds, failures)
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


# ---------------------------------------------------------------- the concurrent mixed run

MIXED_WORKERS, MIXED_CONNECTIONS, MIXED_THREADS, RACERS = 4, 32, 4, 32
ITEMS = ("programme", "activities", "supervision", "payment_terms")
CV = b"%PDF-1.4\n% bench CV\n%%EOF\n"


def session_for(base: str, email: str) -> tuple[str, str]:
    """A logged-in session of its own: its cookie and its CSRF token (wrk replays both; the
    cookie is signed and stateless, so it stays valid while the server's Set-Cookie are
    ignored)."""
    opener, _ = login(base, email)
    with opener.open(base + "/") as resp:
        page, where = resp.read().decode(), resp.geturl()
    if "/connexion" in where:
        raise RuntimeError(f"{email} could not log in")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    jar = next(h.cookiejar for h in opener.handlers
               if isinstance(h, urllib.request.HTTPCookieProcessor))
    return "; ".join(f"{c.name}={c.value}" for c in jar), token


def mixed_schedule(base: str, fx: dict) -> list[tuple[str, str, dict, bytes | None]]:
    """The requests of the run, (method, path, headers, body), thirteen per racing student:
    five pages and eight writes, each racing write next to its twin so that wrk sends the
    two on two connections at once."""
    from concurrent.futures import ThreadPoolExecutor

    # Accounts log in side by side, each one's sessions one after the other: two logins of
    # one account at the same instant answer 500 (both write its last login).
    accounts = ([[f"secretariat{k}.b0@bench.example.org"] * 2 for k in range(2)] +
                [[f"teacher{k}.b0@bench.example.org"] for k in range(2)] +
                [[f"racer{k}.mixed@bench.example.org"] for k in range(len(fx["students"]))])
    with ThreadPoolExecutor(MIXED_WORKERS) as pool:
        logged = list(pool.map(lambda emails: [session_for(base, e) for e in emails], accounts))
    (a0, b0), (a1, b1), ([c0], [c1]) = logged[0], logged[1], logged[2:4]
    secretaries, coordinators = [a0, a1, b1, b0], [c0, c1]  # k % 2 and 2 + k % 2: two people
    students = [s for [s] in logged[4:]]

    def form(session, fields, doseq=False, htmx=False):
        cookie, token = session
        body = urllib.parse.urlencode({**fields, "csrf_token": token}, doseq=doseq).encode()
        return {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
                **({"HX-Request": "true"} if htmx else {})}, body

    def upload(session, message):
        cookie, token = session
        b = "benchmixedboundary"
        body = b"".join(
            f'--{b}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            .encode() for name, value in (("csrf_token", token), ("message", message)))
        body += (f'--{b}\r\nContent-Disposition: form-data; name="cv"; filename="cv.pdf"\r\n'
                 "Content-Type: application/pdf\r\n\r\n").encode()
        body += CV + f"\r\n--{b}--\r\n".encode()
        return {"Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={b}"}, body

    internship = {"host_id": fx["host"], "subject": "Inventaire du fonds", "start_date":
                  fx["start"], "end_date": fx["end"], "weekly_hours": "35",
                  "work_days": ["mon", "tue", "wed", "thu", "fri"], "zone": "metropole",
                  "country": "France", "agreed_amount": "700", "agreed_unit": "month"}

    def page(path, session, htmx=False):
        return ("GET", path, {"Cookie": session[0], **({"HX-Request": "true"} if htmx else {})},
                None)

    teachers = fx["teachers"]
    schedule = []
    for k, student_id in enumerate(fx["students"]):
        me = students[k]
        secretary = secretaries[k % 2], secretaries[2 + k % 2]
        offer = fx["offers"][k % len(fx["offers"])]
        # Racers 2m and 2m+1 tick then untick the same mention, two secretaries at once.
        convention = fx["conventions"][(k // 2) % len(fx["conventions"])]
        item = ITEMS[(k // 2) % len(ITEMS)]
        tick = {"checked": "1" if k % 2 == 0 else "0"}
        schedule += [
            page("/offres/", me),
            ("POST", "/stages/nouveau", *form(me, internship, doseq=True)),
            ("POST", "/stages/nouveau", *form(me, internship, doseq=True)),
            page("/stages/suivi", secretary[0], htmx=True),
            ("POST", f"/offres/{offer}/candidater", *upload(me, "Motivé·e, disponible.")),
            ("POST", f"/offres/{offer}/candidater", *upload(me, "Motivé·e, disponible.")),
            page("/conventions/", secretary[1]),
            ("POST", f"/conventions/{convention}/verifier/{item}", *form(secretary[0], tick)),
            ("POST", f"/conventions/{convention}/verifier/{item}", *form(secretary[1], tick)),
            page(f"/conventions/{convention}", secretary[0]),
            # from the board, as htmx sends it: the answer is the board and its message
            ("POST", "/tutorat/affecter", *form(coordinators[0], {
                "pair": f"{student_id}:{teachers[(2 * k) % len(teachers)]}"}, htmx=True)),
            ("POST", "/tutorat/affecter", *form(coordinators[1], {
                "pair": f"{student_id}:{teachers[(2 * k + 1) % len(teachers)]}"}, htmx=True)),
            page("/candidatures", me),
        ]
    return schedule


def lua_string(raw: bytes | str) -> str:
    """A Lua string literal of any bytes (long brackets would turn CRLF into LF)."""
    if isinstance(raw, str):
        raw = raw.encode()
    return '"' + "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else f"\\{c:03d}"
                         for c in raw) + '"'


# The messages of a double the database refused (its constraint, after the checks in
# Python let both requests through): proof that the two requests did meet.
SETTLED = {"internships": "vient d’être enregistré",
           "applications": "Vous avez déjà candidaté à cette offre.<",
           "tutors": "affecté·e en même temps par"}


def mixed_lua(schedule, path: Path) -> None:
    """The wrk script: every thread replays the schedule from its own offset, counts the
    responses by status, the redirections to the login page (a session lost) and the
    doubles the database settled."""
    rows = []
    for method, target, headers, body in schedule:
        head = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        rows.append(f"  {{{lua_string(method)}, {lua_string(target)}, {{{head}}}, "
                    f"{lua_string(body) if body is not None else 'nil'}}},")
    path.write_text("-- generated by bench/run.py: the concurrent mixed run\n"
                    "local schedule = {\n" + "\n".join(rows) + "\n}\n"
                    "local settled_by = {" + ", ".join(
                        f"{{{lua_string(k)}, {lua_string(v)}}}" for k, v in SETTLED.items())
                    + "}\n" f"local nthreads = {MIXED_THREADS}\n" + MIXED_LUA,
                    encoding="utf-8")


MIXED_LUA = r"""
local threads, created = {}, 0
function setup(thread)
  thread:set("offset", created)
  created = created + 1
  table.insert(threads, thread)
end

function init(args)
  statuses, settled, lost, rendered, position = {}, {}, 0, {}, 0
  local n = #schedule
  local start = math.floor(offset * n / nthreads)
  for i = 1, n do
    local r = schedule[(start + i - 1) % n + 1]
    rendered[i] = wrk.format(r[1], r[2], r[3], r[4])
  end
end

function request()
  position = position % #rendered + 1
  return rendered[position]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local location = headers["Location"] or headers["location"] or ""
  if string.find(location, "/connexion", 1, true) then lost = lost + 1 end
  if status == 200 and body then
    for _, s in ipairs(settled_by) do
      if string.find(body, s[2], 1, true) then settled[s[1]] = (settled[s[1]] or 0) + 1 end
    end
  end
end

function done(summary, latency, requests)
  local counts, by, lost_sessions = {}, {}, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
    for what, count in pairs(thread:get("settled")) do by[what] = (by[what] or 0) + count end
    lost_sessions = lost_sessions + thread:get("lost")
  end
  local parts, raced = {}, {}
  for status, count in pairs(counts) do table.insert(parts, status .. ":" .. count) end
  for what, count in pairs(by) do table.insert(raced, what .. ":" .. count) end
  local e = summary.errors
  io.write(string.format(
    "MIXED requests=%d seconds=%.2f p50=%d p95=%d p99=%d socket=%d lost=%d statuses=%s " ..
    "settled=%s\n", summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), e.connect + e.read + e.write + e.timeout,
    lost_sessions, table.concat(parts, ","), table.concat(raced, ",")))
end
"""


def integrity(url: str, racers: list[int]) -> dict:
    """What the database holds after the run: the duplicates the rules forbid (one GROUP BY
    each, whatever the size of the tables) and what the racing students got."""
    import psycopg

    active = "status NOT IN ('cancelled', 'ended_early')"
    duplicates = {
        "internships": "SELECT student_id FROM internships WHERE " + active +
                       " GROUP BY student_id, academic_year_id HAVING COUNT(*) > 1",
        "tutors": "SELECT student_id FROM tutor_assignments WHERE ended_at IS NULL"
                  " GROUP BY student_id, academic_year_id HAVING COUNT(*) > 1",
        "applications": "SELECT student_id FROM applications"
                        " GROUP BY student_id, offer_id HAVING COUNT(*) > 1",
        "checks": "SELECT convention_id FROM convention_checks"
                  " GROUP BY convention_id, item HAVING COUNT(*) > 1",
    }
    written = {
        "internships": "SELECT COUNT(*) FROM internships WHERE student_id = ANY(%s) AND " +
                       active,
        "tutors": "SELECT COUNT(*) FROM tutor_assignments WHERE student_id = ANY(%s)"
                  " AND ended_at IS NULL",
        "applications": "SELECT COUNT(*) FROM applications WHERE student_id = ANY(%s)",
    }
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        out = {"duplicates": {k: conn.execute(f"SELECT COUNT(*) FROM ({q}) AS d").fetchone()[0]
                              for k, q in duplicates.items()},
               "written": {k: conn.execute(q, (racers,)).fetchone()[0]
                           for k, q in written.items()}}
    return out


def mixed(url: str, spare_convention: int, seconds: int, failures: list) -> dict:
    """4 gunicorn workers, 32 connections: pages and racing writes of many sessions at once.
    Fails on a 5xx, a socket error, a lost session, a refused token, or a duplicate in base."""
    fx = json.loads(run([PY, "-c", (
        "import json,sys; sys.path.insert(0,'bench'); from seed import racers; "
        f"print(json.dumps(racers({RACERS}, {spare_convention})))")], env_for(url)
    ).stdout.strip().splitlines()[-1])
    OUT.mkdir(parents=True, exist_ok=True)
    log = OUT / "mixed-gunicorn.log"
    server = Server(url, workers=MIXED_WORKERS, log=log)
    try:
        schedule = mixed_schedule(server.base, fx)
        script = OUT / "mixed.lua"
        mixed_lua(schedule, script)
        out = subprocess.run(
            ["wrk", f"-t{MIXED_THREADS}", f"-c{MIXED_CONNECTIONS}", f"-d{seconds}s",
             "--timeout", "10s", "-s", str(script), server.base],
            capture_output=True, text=True, check=True)
    finally:
        server.stop()
    m = re.search(r"MIXED requests=(\d+) seconds=([\d.]+) p50=(\d+) p95=(\d+) p99=(\d+) "
                  r"socket=(\d+) lost=(\d+) statuses=([\d:,]*) settled=([\w:,]*)", out.stdout)
    if m is None:
        raise RuntimeError(f"wrk gave no result:\n{out.stdout}\n{out.stderr}")
    statuses = {int(s): int(c) for s, c in (p.split(":") for p in m.group(8).split(",") if p)}
    settled = {k: 0 for k in SETTLED} | {
        w: int(c) for w, c in (p.split(":") for p in m.group(9).split(",") if p)}
    by_class = {f"{k}xx": sum(c for s, c in statuses.items() if s // 100 == k)
                for k in (2, 3, 4, 5)}
    r = {"requests": int(m.group(1)), "seconds": float(m.group(2)),
         "rps": int(m.group(1)) / float(m.group(2)), "p50_ms": int(m.group(3)) / 1000,
         "p95_ms": int(m.group(4)) / 1000, "p99_ms": int(m.group(5)) / 1000,
         "socket_errors": int(m.group(6)), "lost_sessions": int(m.group(7)),
         "statuses": statuses, **by_class, "sessions": len(fx["students"]) + 6,
         "per_student": len(schedule) // len(fx["students"]), "racers": len(fx["students"]),
         "duration": seconds, "settled": settled, **integrity(url, fx["students"])}
    where = "postgresql: charge concurrente"
    if r["5xx"]:
        failures.append(f"{where}: {r['5xx']} réponses 5xx (journal du serveur : "
                        f"{log.relative_to(ROOT)})")
        print(log.read_text(encoding="utf-8")[-6000:], file=sys.stderr)
    if r["socket_errors"]:
        failures.append(f"{where}: {r['socket_errors']} erreurs de socket (connexion, lecture, "
                        "écriture, délai)")
    refused = {s: c for s, c in statuses.items() if s // 100 == 4 and s not in (409, 422)}
    if refused:
        failures.append(f"{where}: réponses {refused} (jeton CSRF, session ou adresse refusés : "
                        "les écritures n’ont pas été faites)")
    if r["lost_sessions"]:
        failures.append(f"{where}: {r['lost_sessions']} renvois vers la connexion (sessions "
                        "perdues)")
    for what, label in (("internships", "étudiant·es avec deux stages actifs la même année"),
                        ("tutors", "étudiant·es avec deux tuteurs ouverts la même année"),
                        ("applications", "candidatures en double"),
                        ("checks", "mentions de convention cochées deux fois")):
        if r["duplicates"][what]:
            failures.append(f"{where}: {r['duplicates'][what]} {label}")
    for what, label in (("internships", "aucun stage"), ("applications", "aucune candidature"),
                        ("tutors", "aucun tuteur")):
        if not r["written"][what]:
            failures.append(f"{where}: {label} enregistré pour les étudiant·es de la course "
                            "(les écritures ne passent pas)")
    return r


def mixed_report(m: dict) -> list[str]:
    d, w = m["duplicates"], m["written"]
    statuses = ", ".join(f"{s} : {c}" for s, c in sorted(m["statuses"].items()))
    return [
        "### Charge concurrente", "",
        f"gunicorn {MIXED_WORKERS} workers (configuration de production), wrk "
        f"{MIXED_THREADS} threads, {MIXED_CONNECTIONS} connexions, {m['duration']} s ; "
        f"{m['sessions']} sessions ({m['racers']} étudiant·es, 2 secrétaires, "
        "2 coordinateurs). Par étudiant·e, "
        f"{m['per_student']} requêtes rejouées en boucle : 5 pages (offres, suivi BUT3, file "
        "des conventions, une convention, ses candidatures) et 8 écritures qui se croisent, "
        "chacune envoyée deux fois à la fois sur deux connexions : le formulaire « Mon "
        "stage », une candidature, une mention de convention cochée ou décochée par deux "
        "secrétaires, un tuteur donné par deux coordinateurs. La latence comprend l’attente "
        "d’un worker libre.", "",
        "| requêtes | req/s | médiane (ms) | p95 (ms) | p99 (ms) | 2xx | 3xx | 4xx | 5xx | "
        "erreurs de socket |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {m['requests']} | {m['rps']:.0f} | {m['p50_ms']:.1f} | {m['p95_ms']:.1f} | "
        f"{m['p99_ms']:.1f} | {m['2xx']} | {m['3xx']} | {m['4xx']} | {m['5xx']} | "
        f"{m['socket_errors']} |", "",
        f"Statuts : {statuses} ; sessions perdues : {m['lost_sessions']}. Doubles arrêtés par "
        "la contrainte de la base (les deux requêtes avaient passé ensemble les vérifications "
        f"en Python) : {m['settled']['internships']} stages, "
        f"{m['settled']['applications']} candidatures, {m['settled']['tutors']} tuteurs. "
        f"Écrit pour les {m['racers']} étudiant·es : {w['internships']} stages actifs, "
        f"{w['applications']} candidatures, {w['tutors']} tuteurs ouverts. Doublons en base "
        f"après la course : {d['internships']} étudiant·e avec deux stages actifs la même "
        f"année, {d['tutors']} avec deux tuteurs ouverts, {d['applications']} paire "
        f"étudiant·e–offre candidatée deux fois, {d['checks']} mention cochée deux fois.",
    ]


def report(all_results: dict, scale: float, seconds: int, failures: list) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "?"
    lines = [
        "# Benchmark", "",
        f"- Date : {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · commit `{commit}`",
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
        if res.get("mixed"):
            lines += [""] + mixed_report(res["mixed"])
        lines.append("")
    lines += ["## Verdict", ""]
    lines += [f"- ÉCHEC : {f}" for f in failures] or [
        "- Aucune page en erreur ; aucune page ne fait plus de requêtes SQL avec plus de "
        "données" + ("" if not any(r.get("mixed") for r in all_results.values()) else
                     " ; sous charge concurrente, aucune erreur et aucun doublon en base") + "."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="university scale (slow)")
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--output", default=str(ROOT / "bench" / "REPORT.md"))
    parser.add_argument("--mixed-seconds", type=int, default=None,
                        help="length of the concurrent run (default: 10 × --seconds, 60 s "
                             "with --full)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    scale = 1.0 if args.full else (args.scale or 0.02)
    failures: list[str] = []
    mixed_seconds = args.mixed_seconds or (60 if args.full else 10 * args.seconds)
    results = {"SQLite": bench_database("sqlite", scale, args.seconds, failures)}
    if pg_available():
        results["PostgreSQL"] = bench_database("postgresql", scale, args.seconds, failures,
                                               mixed_seconds)
    else:
        failures.append("PostgreSQL injoignable : seul SQLite a été mesuré")
    text = report(results, scale, args.seconds, failures)
    Path(args.output).write_text(text, encoding="utf-8")
    print(text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
