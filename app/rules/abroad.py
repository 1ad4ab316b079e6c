"""Preparing an internship abroad (RULES.md §5): the checklist's items, what is missing among
the mandatory ones, the progress, and what the foreign ministry's advice for a country does to
the convention's validation. Pure: no Flask, no database."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# code -> (label, the fields that make it done). The Erasmus+ learning agreement is an item
# only when the internship is funded by Erasmus+.
ITEMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "passport": ("Passeport ou visa", ("passport_on",)),
    "insurance": ("Assurance santé et rapatriement (attestation déposée)",
                  ("insurance_file_id",)),
    "liability": ("Attestation de responsabilité civile", ("liability_file_id",)),
    "ariane": ("Inscription sur Ariane (ministère des Affaires étrangères)", ("ariane_on",)),
    "contacts": ("Contacts d’urgence sur place et en France",
                 ("contact_abroad", "contact_france")),
    "travel": ("Dates du voyage (aller et retour)", ("departure_on", "return_on")),
    "learning_agreement": ("Learning Agreement for Traineeships (Erasmus+) : trois signatures",
                           ("la_student_on", "la_school_on", "la_host_on")),
}
ERASMUS_ONLY = ("learning_agreement",)
DEFAULT_MANDATORY = ("passport", "insurance", "liability", "ariane", "contacts",
                     "learning_agreement")

# The foreign ministry's advice per country, kept by the department, and what each level does
# to the validation of a convention in that country.
LEVELS: dict[str, str] = {
    "normal": "Vigilance normale",
    "vigilance": "Vigilance renforcée",
    "unless_imperative": "Déconseillé sauf raison impérative",
    "forbidden": "Formellement déconseillé",
}
EFFECTS = {"normal": "none", "vigilance": "none", "unless_imperative": "warn",
           "forbidden": "block"}


def applicable(erasmus: bool) -> list[str]:
    """The items of an internship's checklist, in order."""
    return [code for code in ITEMS if erasmus or code not in ERASMUS_ONLY]


def _filled(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value is not False


def done(values: Mapping[str, object], erasmus: bool) -> list[str]:
    """The applicable items whose every field is filled."""
    return [code for code in applicable(erasmus)
            if all(_filled(values.get(name)) for name in ITEMS[code][1])]


def missing(values: Mapping[str, object], mandatory, erasmus: bool) -> list[str]:
    """The mandatory items (of those that apply) not done yet, in checklist order."""
    finished = set(done(values, erasmus))
    wanted = set(mandatory)
    return [code for code in applicable(erasmus) if code in wanted and code not in finished]


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 100


def progress(values: Mapping[str, object], erasmus: bool) -> Progress:
    return Progress(len(done(values, erasmus)), len(applicable(erasmus)))


def effect(level: str | None) -> str:
    """``none``, ``warn`` or ``block``: what the country's advice does to a validation."""
    return EFFECTS.get(level or "normal", "none")


def parse_mandatory(text: str | None) -> tuple[str, ...]:
    """The stored per-year setting (comma-separated codes); None: the default."""
    if text is None:
        return DEFAULT_MANDATORY
    return tuple(code for code in text.split(",") if code in ITEMS)


# What a country guide holds, in the order it shows them.
TIP_KINDS: dict[str, str] = {
    "do": "À faire",
    "dont": "À ne pas faire",
    "place": "Lieux",
    "housing": "Logement",
    "paperwork": "Démarches",
    "contact": "Garder le contact",
}


def grouped(tips, key_city, key_kind) -> list[tuple[str, list[tuple[str, list]]]]:
    """Tips by city (alphabetical, « Tout le pays » first), then by kind in guide order."""
    cities: dict[str, dict[str, list]] = {}
    for tip in tips:
        city = (key_city(tip) or "").strip()
        cities.setdefault(city, {}).setdefault(key_kind(tip), []).append(tip)
    order = sorted(cities, key=lambda c: (c != "", c.lower()))
    kinds = list(TIP_KINDS)
    return [(city, sorted(cities[city].items(),
                          key=lambda pair: kinds.index(pair[0]) if pair[0] in kinds else 99))
            for city in order]
