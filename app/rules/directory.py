"""From a university directory entry to an intranet account (pure: no Flask import).

The CAS server's attributes (protocol 3.0 ``<cas:attributes>``) and an LDAP entry carry the same
supann/eduPerson attributes; both go through :func:`person_from_attributes`, so a user arriving
by single sign-on and the nightly directory sync agree on who they are.

Attributes are given as a mapping of name → list of values (LDAP and CAS may repeat a name).
The mapping from attribute names, affiliations and study steps (``supannEtuEtape``) is
configuration (:class:`DirectoryMapping`); the defaults follow the supann recommendations.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# eduPersonAffiliation values, in the order that decides the role when several are present.
DEFAULT_AFFILIATION_ROLES: tuple[tuple[str, str], ...] = (
    ("faculty", "teacher"),
    ("teacher", "teacher"),
    ("student", "student"),
)


@dataclass(frozen=True)
class DirectoryMapping:
    uid: str = "uid"
    email: str = "mail"
    first_name: str = "givenName"
    last_name: str = "sn"
    affiliation: str = "eduPersonAffiliation"
    step: str = "supannEtuEtape"
    group: str = "supannEtuGroupe"  # not a supann standard name: a local attribute, configurable
    # affiliation value -> role, first match wins
    affiliation_roles: tuple[tuple[str, str], ...] = DEFAULT_AFFILIATION_ROLES
    # study step code (or its suffix after '}' as supann writes « {UAI}CODE ») -> cohort
    steps: Mapping[str, str] = field(default_factory=dict)
    # uids given the secretariat role whatever their affiliation (staff are not all secretaries)
    secretariat_uids: frozenset[str] = frozenset()

    @classmethod
    def from_config(cls, config: Mapping) -> DirectoryMapping:
        attrs = dict(config.get("DIRECTORY_ATTRIBUTES") or {})
        return cls(
            **{k: v for k, v in attrs.items() if k in {
                "uid", "email", "first_name", "last_name", "affiliation", "step", "group"}},
            steps=dict(config.get("DIRECTORY_STEPS") or {}),
            secretariat_uids=frozenset(config.get("DIRECTORY_SECRETARIAT_UIDS") or ()),
        )


@dataclass(frozen=True)
class Person:
    uid: str
    email: str
    first_name: str
    last_name: str
    role: str | None  # None: the directory entry gives no access to the intranet
    cohort: str | None = None
    group_name: str | None = None


class DirectoryEntryError(ValueError):
    """An entry lacks what an account needs (uid, mail, names)."""


def _first(attributes: Mapping[str, Iterable[str] | str], name: str) -> str:
    values = attributes.get(name)
    if values is None:
        # attribute names are case-insensitive in LDAP
        for key, value in attributes.items():
            if key.lower() == name.lower():
                values = value
                break
    if values is None:
        return ""
    if isinstance(values, (str, bytes)):
        values = [values]
    for value in values:
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        value = str(value).strip()
        if value:
            return value
    return ""


def _all(attributes: Mapping[str, Iterable[str] | str], name: str) -> list[str]:
    for key, values in attributes.items():
        if key.lower() == name.lower():
            if isinstance(values, (str, bytes)):
                values = [values]
            return [v.decode() if isinstance(v, bytes) else str(v) for v in values]
    return []


def step_cohort(steps: Mapping[str, str], values: Iterable[str]) -> str | None:
    """The cohort of the first study step the department knows (« {UAI}BUT3-INFODOC » or a code)."""
    for value in values:
        code = value.split("}", 1)[-1].strip()
        if code in steps:
            return steps[code]
        if value in steps:
            return steps[value]
    return None


def person_from_attributes(attributes: Mapping[str, Iterable[str] | str],
                           mapping: DirectoryMapping = DirectoryMapping()) -> Person:
    uid = _first(attributes, mapping.uid)
    email = _first(attributes, mapping.email).lower()
    first_name = _first(attributes, mapping.first_name)
    last_name = _first(attributes, mapping.last_name)
    missing = [label for label, value in (("uid", uid), ("mail", email), ("prénom", first_name),
                                          ("nom", last_name)) if not value]
    if missing:
        raise DirectoryEntryError(", ".join(missing))
    affiliations = {a.lower() for a in _all(attributes, mapping.affiliation)}
    role = None
    if uid in mapping.secretariat_uids:
        role = "secretariat"
    else:
        for affiliation, mapped in mapping.affiliation_roles:
            if affiliation in affiliations:
                role = mapped
                break
    cohort = group = None
    if role == "student":
        cohort = step_cohort(mapping.steps, _all(attributes, mapping.step))
        group = _first(attributes, mapping.group) or None
        if cohort is None:  # a student of another department: no access here
            role = None
    return Person(uid=uid, email=email, first_name=first_name, last_name=last_name, role=role,
                  cohort=cohort, group_name=group[:20] if group else None)
