"""The host checks (app/hosts/services.py ``_check``) the form does not reach first: what the
service itself refuses and how it tidies what it keeps, on creation and on an edit."""
import pytest

from app.errors import DomainError
from app.extensions import db
from app.hosts import services
from app.hosts.models import Host

SIRET = "73282932000074"


def _data(**changes):
    data = dict(name="Archives d’État", city="Genève", country="Suisse")
    data.update(changes)
    return services.HostData(**data)


def _refused(data, host_id=None):
    with pytest.raises(DomainError) as err:
        if host_id is None:
            services.create_host(data)
        else:
            host = db.session.get(Host, host_id)
            services.update_host(host, data, host.version_id)
    return err.value.field, err.value.message


@pytest.mark.parametrize("siret, message", [
    ("12345", "Le SIRET compte exactement 14 chiffres."),
    ("732 829 320 00075", "Ce SIRET n’est pas valide (clé de contrôle incorrecte)."),
])
def test_a_bad_siret_is_refused_by_the_service(db, siret, message):
    assert _refused(_data(country="France", city="Lyon", siret=siret)) == ("siret", message)
    assert db.session.query(Host).count() == 0


def test_an_empty_siret_is_none_and_a_spaced_one_is_kept_without_spaces(db):
    assert services.create_host(_data(siret="")).siret is None
    spaced = services.create_host(_data(name="Médiathèque", city="Lyon", country="France",
                                        siret="732 829 320 00074"))
    assert spaced.siret == SIRET


def test_another_hosts_siret_is_refused_on_an_edit_too(make):
    make.host(name="Existant", city="Paris", siret=SIRET)
    other = make.host(name="Autre", city="Lyon")
    assert _refused(services.HostData(name="Autre", city="Lyon", siret=SIRET), other.id) == (
        "siret", "Ce SIRET est déjà celui de « Existant ».")
    assert db.session.get(Host, other.id).siret is None


def test_the_same_name_in_the_same_city_whatever_the_case_and_spaces(make):
    host = make.host(name="Musée des Beaux-Arts", city="Dijon")
    assert _refused(_data(name="  musée des beaux-arts ", city="DIJON ")) == (
        "name", "Un organisme de ce nom existe déjà dans cette ville.")
    elsewhere = services.create_host(_data(name="Musée des Beaux-Arts", city="Lyon"))
    assert _refused(services.HostData(name="MUSÉE DES BEAUX-ARTS", city="dijon"),
                    elsewhere.id)[0] == "name"
    assert db.session.query(Host).count() == 2 and host.city == "Dijon"


@pytest.mark.parametrize("country", [None, "", " France "])
def test_a_foreign_identifier_without_a_country_abroad_is_refused(db, country):
    assert _refused(_data(country=country, foreign_id="CHE-123"))[0] == "foreign_id"


def test_what_the_service_tidies_and_accepts(db):
    host = services.create_host(_data(foreign_id="   ", website="http://archives.ch",
                                      headcount=0, country="France"))
    assert host.foreign_id is None and host.website == "http://archives.ch"
    assert host.headcount == 0 and host.siret is None
    secure = services.create_host(_data(name="Autres archives", website="https://a.ch"))
    assert secure.website == "https://a.ch"
    assert services.create_host(_data(name="Sans site", website="")).website is None
    exactly = services.create_host(_data(name="Quarante", foreign_id="X" * 40))
    assert exactly.foreign_id == "X" * 40
