"""A proposal (and any moderated item) is decided once: the decision is a conditional
update, in one transaction with the host it creates and the author's notification."""
import pytest
from sqlalchemy import update

from app.errors import DomainError
from app.feedback import services
from app.feedback.models import HostProposal
from app.hosts.models import Host
from app.notifications.models import Notification
from tests.conftest import Browser, login, text
from tests.races import at_once, on_postgres, widened

DONE = "Cette proposition a déjà été traitée"


@pytest.fixture
def proposal(make, db):
    def _make(name="Médiathèque de Vienne"):
        author = make.user("student")
        p = HostProposal(author_id=author.id, name=name, city="Vienne", why="Formateur",
                         status="pending")
        db.session.add(p)
        db.session.commit()
        return p

    return _make


def test_a_sequential_double_publication_gives_one_host(proposal, as_role, db):
    p = proposal()
    secretary = as_role("secretariat")
    first = secretary.post(f"/retours/moderation/organisme/{p.id}", {"decision": "publish"},
                           follow_redirects=True)
    assert "Décision enregistrée" in text(first)
    again = as_role("secretariat").post(f"/retours/moderation/organisme/{p.id}",
                                        {"decision": "publish"}, follow_redirects=True)
    assert again.status_code == 200 and f"{DONE} (statut : publié)" in text(again)
    assert db.session.query(Host).filter_by(name="Médiathèque de Vienne").count() == 1
    [note] = db.session.query(Notification).all()
    assert note.message == "Votre proposition d’organisme est publiée."


def test_a_decision_taken_since_it_was_read_changes_nothing(proposal, make, db):
    """Read pending, decided meanwhile by someone else (here in the same transaction, behind
    the session's back): the conditional update finds nothing to decide."""
    p = proposal()
    secretary = make.user("secretariat")
    assert p.status == "pending"
    db.session.execute(update(HostProposal).where(HostProposal.id == p.id)
                       .values(status="rejected").execution_options(synchronize_session=False))
    with pytest.raises(DomainError, match=f"{DONE} par quelqu’un d’autre"):
        services.moderate(secretary, "organisme", p.id, True, None, "/retours/")
    assert db.session.query(Host).count() == 0
    assert db.session.query(Notification).count() == 0


def test_the_host_the_decision_and_the_notification_commit_together(proposal, make, db,
                                                                     monkeypatch):
    """If anything fails after the host is made (here the notification), nothing is kept:
    no host without its published proposal."""
    import app.notifications.services as notifications

    p = proposal()
    secretary = make.user("secretariat")

    def broken(*args, **kw):
        raise RuntimeError("the connection dropped")

    monkeypatch.setattr(notifications, "notify", broken)
    with pytest.raises(RuntimeError):
        services.moderate(secretary, "organisme", p.id, True, None, "/retours/")
    db.session.rollback()
    assert db.session.query(Host).count() == 0
    assert db.session.get(HostProposal, p.id).status == "pending"


def test_other_moderated_items_are_decided_once(make, db):
    """A good practice (or a feedback) is decided once too."""
    from app.feedback.models import GoodPractice

    author = make.user("student")
    practice = GoodPractice(author_id=author.id, title="Plan", description="D",
                            domain="archives", status="pending")
    db.session.add(practice)
    db.session.commit()
    teacher = make.user("teacher")
    services.moderate(teacher, "pratique", practice.id, True, None, "/retours/")
    with pytest.raises(DomainError, match="Cette bonne pratique a déjà été traitée"):
        services.moderate(teacher, "pratique", practice.id, False, "Non", "/retours/")
    db.session.expire_all()
    assert db.session.get(GoodPractice, practice.id).status == "published"


@on_postgres
def test_two_secretaries_publishing_at_once_make_one_host(app, proposal, make, db):
    browsers = []
    for _ in range(2):
        user = make.user("secretariat")
        b = Browser(app.test_client(), user)
        login(b.client, user)
        _ = b.token  # read before the race
        browsers.append(b)
    for n in range(3):
        p = proposal(name=f"Médiathèque n°{n}")
        url = f"/retours/moderation/organisme/{p.id}"
        with widened(db.engine, "host_proposals", "hosts"):
            responses = at_once(*[
                (lambda b=b, url=url: b.post(url, {"decision": "publish"},
                                             follow_redirects=True))
                for b in browsers])
        assert [r.status_code for r in responses] == [200, 200]
        bodies = [text(r) for r in responses]
        assert sum("Décision enregistrée" in body for body in bodies) == 1, bodies
        assert sum(DONE in body for body in bodies) == 1, bodies
        db.session.expire_all()
        assert db.session.query(Host).filter_by(name=f"Médiathèque n°{n}").count() == 1
        published = db.session.get(HostProposal, p.id)
        assert published.status == "published" and published.host_id is not None
        assert db.session.query(Notification).filter_by(user_id=p.author_id).count() == 1
