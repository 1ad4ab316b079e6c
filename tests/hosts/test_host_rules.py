"""The host directory's checks beyond the form (app/hosts/services.py): required name and
city, the foreign identifier, the headcount, editing a host keeps its own SIRET, a proposed
host found again by name, only the secretariat checks a host, contacts."""
import pytest

from app.errors import DomainError
from app.extensions import db
from app.hosts import services
from app.hosts.models import Host


def _data(**changes):
    data = dict(name="Archives d’État", city="Genève", country="Suisse")
    data.update(changes)
    return services.HostData(**data)


@pytest.mark.parametrize("changes, field, message", [
    ({"name": " "}, "name", "Le nom de l’organisme est obligatoire."),
    ({"city": ""}, "city", "La ville est obligatoire."),
    ({"country": "France", "foreign_id": "CHE-123"}, "foreign_id",
     "En France, l’organisme s’identifie par son SIRET"),
    ({"foreign_id": "X" * 41}, "foreign_id", "Identifiant étranger : 40 caractères au plus."),
    ({"headcount": -1}, "headcount", "L’effectif ne peut pas être négatif."),
])
def test_what_a_host_needs(db, changes, field, message):
    with pytest.raises(DomainError) as err:
        services.create_host(_data(**changes))
    assert err.value.field == field and message in err.value.message
    assert db.session.query(Host).count() == 0


def test_a_foreign_identifier_is_tidied_and_a_website_gets_its_scheme(db):
    host = services.create_host(_data(foreign_id="  CHE-123   456 ", website="archives.ch"))
    assert host.foreign_id == "CHE-123 456" and host.website == "https://archives.ch"


def test_editing_a_host_keeps_its_own_siret_and_name(make):
    host = make.host(name="Médiathèque", city="Lyon", siret="73282932000074")
    services.update_host(host, services.HostData(
        name="Médiathèque", city="Lyon", siret="732 829 320 00074", headcount=12),
        host.version_id)
    db.session.refresh(host)
    assert host.siret == "73282932000074" and host.headcount == 12


def test_a_proposed_host_already_in_the_directory_is_that_host(make):
    existing = make.host(name="Archives de Lyon", city="Lyon")
    student = make.user("student")
    found = services.propose_host(services.HostData(name="archives de lyon", city="LYON"),
                                  student)
    assert found.id == existing.id and db.session.query(Host).count() == 1


def test_only_the_secretariat_checks_a_host(make):
    host = make.host()
    host.checked = False
    db.session.commit()
    with pytest.raises(DomainError, match="Seul le secrétariat vérifie un organisme."):
        services.mark_checked(host, make.user("teacher"))
    services.mark_checked(host, make.user("secretariat"))
    assert db.session.get(Host, host.id).checked


def test_a_contact_needs_a_name_and_belongs_to_its_host(make):
    host, other = make.host(), make.host()
    with pytest.raises(DomainError, match="Le nom du contact est obligatoire."):
        services.add_contact(host, "  ", None, None, None)
    contact = services.add_contact(other, "Paul Roux", "Archiviste", "paul.roux@example.org", None)
    with pytest.raises(DomainError, match="Ce contact n’existe plus."):
        services.remove_contact(host, contact.id)
    services.remove_contact(other, contact.id)
    with pytest.raises(DomainError, match="Ce contact n’existe plus."):
        services.remove_contact(other, contact.id)
