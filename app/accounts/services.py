"""Accounts: authentication, users, passwords and the students' CSV import."""
from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.models import COHORTS, ROLES, TRACKS, User, utcnow
from app.errors import DomainError, StaleEdit
from app.extensions import db
from app.search import fold, matching

MIN_PASSWORD_LENGTH = 10
# A hash to compare against when the email is unknown, so timing does not tell which emails exist.
_DUMMY_HASH: str | None = None


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    """The normalised address, or DomainError with a French message."""
    email = normalize_email(email)
    if not email:
        raise DomainError(_("L’adresse électronique est obligatoire."), "email")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError(_("« %(email)s » n’est pas une adresse électronique valide.",
                          email=email),
                          "email") from None
    return email


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("Le mot de passe doit contenir au moins %(password_length)s caractères.",
            password_length=MIN_PASSWORD_LENGTH), "password"
        )


def generate_temporary_password() -> str:
    return secrets.token_urlsafe(9)


def get_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == normalize_email(email))
    ).scalar_one_or_none()


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer whatever was wrong)."""
    global _DUMMY_HASH
    user = get_by_email(email)
    if user is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password(secrets.token_hex(8))
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    # a plain UPDATE, not a versioned write: two logins at once (a double-click) both succeed
    # and an admin editing the account meanwhile is not made stale by it
    db.session.execute(update(User).where(User.id == user.id).values(last_login_at=utcnow())
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return user


def email_taken(email: str, exclude_id: int | None = None) -> bool:
    stmt = select(User.id).where(User.email == normalize_email(email))
    if exclude_id:
        stmt = stmt.where(User.id != exclude_id)
    return db.session.execute(stmt).first() is not None


@dataclass
class NewUser:
    first_name: str
    last_name: str
    email: str
    role: str
    cohort: str | None = None
    group_name: str | None = None
    track: str | None = None
    password: str | None = None


def _validate_new_user(data: NewUser) -> None:
    if not data.first_name.strip():
        raise DomainError(_("Le prénom est obligatoire."), "first_name")
    if not data.last_name.strip():
        raise DomainError(_("Le nom est obligatoire."), "last_name")
    if data.role not in ROLES:
        raise DomainError(_("Rôle inconnu."), "role")
    data.email = check_email(data.email)
    if data.role == "student":
        if data.cohort not in COHORTS:
            raise DomainError(_("Choisissez la promotion (BUT1, BUT2 ou BUT3)."), "cohort")
        if data.track not in TRACKS:
            raise DomainError(_("Choisissez le parcours (formation initiale ou alternance)."),
                                "track")
    else:
        data.cohort = data.group_name = data.track = None


def create_user(data: NewUser) -> tuple[User, str | None]:
    """Create a user; returns it and the temporary password when none was given."""
    _validate_new_user(data)
    if email_taken(data.email):
        raise DomainError(_("Un compte existe déjà avec l’adresse %(email)s.", email=data.email),
                            "email")
    temporary = None
    password = data.password
    if password:
        check_password_strength(password)
    else:
        password = temporary = generate_temporary_password()
    user = User(
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        email=data.email,
        role=data.role,
        cohort=data.cohort,
        group_name=(data.group_name or "").strip() or None,
        track=data.track,
        password_hash=hash_password(password),
        must_change_password=True,
    )
    db.session.add(user)
    db.session.commit()
    return user, temporary


def set_active(user: User, active: bool, actor: User, version: int | None = None) -> User:
    if user.id == actor.id and not active:
        raise DomainError(_("Vous ne pouvez pas désactiver votre propre compte."))
    if version is not None and version != user.version_id:
        raise StaleEdit(_("ce compte"))
    if user.active != active:
        _next_generation(user)  # a deactivated account's sessions stay dead once reactivated
    user.active = active
    db.session.commit()
    return user


def _next_generation(user: User) -> None:
    """Raise ``user``'s session generation in the current transaction: every session that
    carries the old one is refused from its next request. An UPDATE of its own, so that a
    logout never makes an administrator's edit of the account stale."""
    db.session.execute(update(User).where(User.id == user.id)
                       .values(session_generation=User.session_generation + 1)
                       .execution_options(synchronize_session="fetch"))


def end_sessions(user: User) -> None:
    """End every session of ``user`` (logout, « se déconnecter de tous les appareils »)."""
    _next_generation(user)
    db.session.commit()


def change_password(user: User, current: str, new: str, confirm: str) -> None:
    if not check_password_hash(user.password_hash, current or ""):
        raise DomainError(_("Le mot de passe actuel est incorrect."), "current_password")
    check_password_strength(new)
    if new != confirm:
        raise DomainError(_("Les deux mots de passe ne correspondent pas."), "confirm")
    if new == current:
        raise DomainError(_("Le nouveau mot de passe doit être différent de l’actuel."), "password")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    _next_generation(user)  # the other sessions end; the route keeps the one that asked
    db.session.commit()


def users_query(q: str | None = None, role: str | None = None, status: str | None = None):
    stmt = select(User)
    if role in ROLES:
        stmt = stmt.where(User.role == role)
    if status == "active":
        stmt = stmt.where(User.active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(User.active.is_(False))
    clause = matching(q, User.search_text)
    if clause is not None:
        stmt = stmt.where(clause)
    return stmt.order_by(User.last_name, User.first_name, User.id)


def students_by_track() -> dict[str, int]:
    rows = db.session.execute(
        select(User.track, func.count()).where(User.role == "student", User.active.is_(True))
        .group_by(User.track)).all()
    counts = {t: 0 for t in TRACKS}
    counts.update({t: n for t, n in rows if t})
    return counts


def counts_by_role() -> dict[str, int]:
    rows = db.session.execute(
        select(User.role, func.count()).where(User.active.is_(True)).group_by(User.role)
    ).all()
    return {role: n for role, n in rows}


# ---------------------------------------------------------------- CSV import of students

HEADER_ALIASES = {
    "nom": "last_name", "last_name": "last_name", "lastname": "last_name",
    "prenom": "first_name", "first_name": "first_name", "firstname": "first_name",
    "email": "email", "courriel": "email", "mail": "email", "e-mail": "email",
    "promotion": "cohort", "cohorte": "cohort", "cohort": "cohort", "annee": "cohort",
    "groupe": "group_name", "group": "group_name",
    "parcours": "track", "track": "track", "regime": "track",
}
REQUIRED_COLUMNS = ("last_name", "first_name", "email", "cohort", "group_name", "track")
COLUMN_LABELS = {
    "last_name": "nom", "first_name": "prenom", "email": "email", "cohort": "promotion",
    "group_name": "groupe", "track": "parcours",
}
TRACK_ALIASES = {
    "initial": "initial", "initiale": "initial", "formation initiale": "initial", "fi": "initial",
    "apprentice": "apprentice", "apprenti": "apprentice", "apprentie": "apprentice",
    "alternant": "apprentice", "alternante": "apprentice", "alternance": "apprentice",
    "fa": "apprentice",
}
MAX_IMPORT_ROWS = 2000


@dataclass
class ImportResult:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: list[tuple[User, str]] = field(default_factory=list)
    valid_rows: list[tuple[int, NewUser]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_("Le fichier n’est pas un texte lisible (encodage UTF-8 ou Windows "
                        "attendu)."))


def _csv_reader(raw: bytes):
    """The file's lines, split on « ; » or « , » (whichever the header uses more)."""
    if not raw.strip():
        raise DomainError(_("Le fichier est vide."))
    text = _decode(raw)
    if "\x00" in text:
        raise DomainError(_("Le fichier n’est pas un fichier CSV."))
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def _header(reader) -> tuple[list[str], list[str | None]]:
    """The header line and the column each of its cells names (None: a column ignored)."""
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise DomainError(_("Le fichier ne contient pas d’en-tête.")) from None
    columns = [HEADER_ALIASES.get(fold(h).strip()) for h in header]
    missing = [COLUMN_LABELS[c] for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise DomainError(_("Colonnes manquantes dans l’en-tête : %(columns)s. En-tête attendu : "
                            "nom;prenom;email;promotion;groupe;parcours.",
                            columns=", ".join(missing)))
    return header, columns


def _student_rows(reader, header: list[str], columns: list[str | None],
                  errors: list[tuple[int, str]]
                  ) -> tuple[list[tuple[int, NewUser]], dict[str, int]]:
    """The valid students, by line, and the line of each one's email; each bad line goes to
    ``errors`` with its number and reason."""
    rows: list[tuple[int, NewUser]] = []
    seen: dict[str, int] = {}
    try:
        for line_no, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_IMPORT_ROWS:
                raise DomainError(_("Le fichier dépasse %(import_rows)s lignes ; découpez-le.",
                                  import_rows=MAX_IMPORT_ROWS))
            data, problem = _student_row(values, header, columns, seen)
            if data is None:
                errors.append((line_no, problem))
                continue
            seen[data.email] = line_no
            rows.append((line_no, data))
    except csv.Error as err:
        raise DomainError(_("Le fichier CSV est mal formé : %(err)s.", err=err)) from None
    return rows, seen


def _student_row(values: list[str], header: list[str], columns: list[str | None],
                 seen: dict[str, int]) -> tuple[NewUser | None, str]:
    """One line as a new student, or None and what is wrong with it."""
    if len(values) != len(header):
        return None, f"{len(values)} colonnes au lieu de {len(header)}."
    record = {c: v.strip() for c, v in zip(columns, values, strict=False) if c}
    track = TRACK_ALIASES.get(fold(record["track"]))
    cohort = record["cohort"].upper().replace(" ", "")
    data = NewUser(
        first_name=record["first_name"], last_name=record["last_name"],
        email=record["email"], role="student", cohort=cohort,
        group_name=record["group_name"], track=track,
    )
    if record["track"] and track is None:
        return None, f"parcours « {record['track']} » inconnu (initial ou apprentice)."
    try:
        _validate_new_user(data)
    except DomainError as err:
        return None, err.message
    if (len(data.first_name) > 80 or len(data.last_name) > 80
            or len(data.group_name or "") > 20):
        return None, "un nom, prénom ou groupe est trop long."
    if data.email in seen:
        return None, f"l’adresse {data.email} figure déjà ligne {seen[data.email]}."
    return data, ""


def _already_registered(rows: list[tuple[int, NewUser]],
                        emails: dict[str, int]) -> list[tuple[int, str]]:
    """The lines whose email already has an account (one query)."""
    existing = set(db.session.execute(
        select(User.email).where(User.email.in_(list(emails)))
    ).scalars())
    return [(line_no, f"un compte existe déjà avec l’adresse {data.email}.")
            for line_no, data in rows if data.email in existing]


def parse_students_csv(raw: bytes) -> ImportResult:
    """Check every line; the result lists each bad line with its number and reason."""
    result = ImportResult()
    reader = _csv_reader(raw)
    header, columns = _header(reader)
    rows, seen = _student_rows(reader, header, columns, result.errors)
    if not rows and not result.errors:
        raise DomainError(_("Le fichier ne contient aucun étudiant."))
    if seen:
        result.errors += _already_registered(rows, seen)
    result.errors.sort()
    result.valid_rows = rows
    return result


def import_students(raw: bytes) -> ImportResult:
    """All or nothing: with any error, nothing is written."""
    result = parse_students_csv(raw)
    if not result.ok:
        return result
    users = []
    for _row, data in result.valid_rows:
        password = generate_temporary_password()
        user = User(
            first_name=data.first_name, last_name=data.last_name, email=data.email,
            role="student", cohort=data.cohort, group_name=data.group_name or None,
            track=data.track, password_hash=hash_password(password), must_change_password=True,
        )
        users.append((user, password))
    try:
        db.session.add_all([u for u, _data in users])
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    result.created = users
    return result
