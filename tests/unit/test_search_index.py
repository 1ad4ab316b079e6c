"""The search answers from a full-text index on both databases, and the index follows edits."""
from sqlalchemy import select, text

from app.extensions import db
from app.hosts.models import Host
from app.offers.models import Offer
from app.search import matching


def found(query, column, model=Offer):
    return set(db.session.execute(select(model.id).where(matching(query, column))).scalars())


def test_words_are_found_by_their_beginning_whatever_the_accents_and_case(db, make):
    host = make.host(name="Archives départementales du Rhône", city="Villeurbanne")
    fonds = make.offer(host=host, title="Inventaire d’un fonds d’Archivistique notariale",
                       description="Bases de DONNÉES patrimoniales, site www.lyon.fr",
                       domain="data")
    other = make.offer(host=make.host(name="Agence de presse", city="Nantes"),
                       title="Veille documentaire", description="Revue de presse",
                       domain="documentation")
    db.session.commit()
    assert found("ARCHIV", Offer.search_text) == {fonds.id}
    assert found("donnees patrimoine", Offer.search_text) == set()  # every word must match
    assert found("donnees patrimon", Offer.search_text) == {fonds.id}
    assert found("notariale inventaire", Offer.search_text) == {fonds.id}
    assert found("lyon", Offer.search_text) == {fonds.id}  # inside a web address
    assert found("chiv", Offer.search_text) == set()  # a word's middle is not its beginning
    # an offer's text holds its host's name
    assert found("rhone veille", Offer.search_text) == set()
    assert found("rhone inventaire", Offer.search_text) == {fonds.id}
    assert found("agence", Offer.search_text) == {other.id}
    assert matching("  ’ - ", Offer.search_text) is None  # no word, no clause


def test_the_index_follows_edits_and_deletions(db, make):
    offer = make.offer(title="Numérisation de plaques de verre")
    db.session.commit()
    assert found("plaques", Offer.search_text) == {offer.id}
    offer.title = "Numérisation de cartes postales"
    db.session.commit()
    assert found("plaques", Offer.search_text) == set()
    assert found("cartes postales", Offer.search_text) == {offer.id}
    host = make.host(name="Musée Nicéphore Niépce")
    db.session.commit()
    # a host renamed: its offers are found by the new name only
    from app.hosts import services as hosts

    renamed = make.host(name="Bibliothèque Carnegie", city="Reims")
    offer.host = renamed
    db.session.commit()
    assert found("carnegie postales", Offer.search_text) == {offer.id}
    data = hosts.HostData(name="Médiathèque Jean Falala", city="Reims", country="France")
    hosts.update_host(renamed, data, renamed.version_id)
    assert found("carnegie", Offer.search_text) == set()
    assert found("falala cartes", Offer.search_text) == {offer.id}
    assert found("niepce", Host.search_text, model=Host) == {host.id}
    db.session.delete(host)
    db.session.commit()
    assert found("niepce", Host.search_text, model=Host) == set()


def test_a_search_reads_the_index_not_the_whole_table(db, make):
    for n in range(30):
        make.offer(title=f"Archives paroissiales {n}")
    db.session.commit()
    stmt = select(Offer.id).where(matching("paroiss", Offer.search_text))
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "postgresql":
        # a small table: without these the planner reads it whole, as it should
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        db.session.execute(text("SET LOCAL enable_indexscan = off"))
        plan = "\n".join(db.session.execute(text(f"EXPLAIN {sql}")).scalars())
        assert "ix_offers_search_fts" in plan
    else:
        plan = " ".join(str(row[-1]) for row in db.session.execute(
            text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "VIRTUAL TABLE INDEX" in plan and "offers_fts" in plan
    assert len(db.session.execute(stmt).all()) == 30
    db.session.rollback()


def test_without_an_index_the_same_words_are_found_by_scanning(db, make, monkeypatch):
    """An SQLite built without FTS5 (or a table without its index) still finds the offers."""
    from app import search

    offer = make.offer(title="Récolement des collections")
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        monkeypatch.setitem(search._fts_tables, str(db.engine.url), frozenset())
    else:
        monkeypatch.setattr(search, "SEARCHABLE", ())
    clause = matching("RECOLEMENT collect", Offer.search_text)
    assert "LIKE" in str(clause.compile(db.engine)).upper()
    assert found("RECOLEMENT collect", Offer.search_text) == {offer.id}
    assert found("recolement musee", Offer.search_text) == set()


def test_a_broad_search_finds_the_same_rows_read_another_way(db, make, monkeypatch):
    """Past ``BROAD`` rows found, PostgreSQL tests each row as the list's own index brings it,
    and SQLite keeps another table's list on that list's own index: the same rows are found."""
    from app import search

    for n in range(4):
        make.offer(title=f"Archives paroissiales {n}")  # each with its host "Archives …"
    make.offer(title="Veille documentaire", host=make.host(name="Agence de presse"))
    db.session.commit()

    def by_host(query):  # offers found through their host's text (a foreign key)
        return set(db.session.execute(select(Offer.id).where(
            matching(query, Host.search_text, key=Offer.host_id))).scalars())

    def sql(query, column, key=None):
        return str(matching(query, column, key).compile(db.engine)).upper()

    usual = (found("archives paroiss", Offer.search_text), by_host("archives"))
    assert len(usual[0]) == 4 and len(usual[1]) == 4
    assert "OFFSET" in sql("archives", Offer.search_text) \
        or db.engine.dialect.name == "sqlite"
    monkeypatch.setattr(search, "BROAD", 2)
    assert (found("archives paroiss", Offer.search_text), by_host("archives")) == usual
    assert len(found("veille", Offer.search_text)) == 1  # a precise search, the usual way
    if db.engine.dialect.name == "postgresql":
        assert "OFFSET" not in sql("archives", Offer.search_text)
        assert "OFFSET" not in sql("archives", Host.search_text, Offer.host_id)
    else:
        assert "+ ?" in sql("archives", Host.search_text, Offer.host_id)
        assert "+ ?" not in sql("veille", Host.search_text, Offer.host_id)  # one host only
