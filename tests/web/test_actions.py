"""The action helper (app/web/actions.py) and the versioned write (app/versioning.py)."""
import pytest
import sqlalchemy as sa
from flask import get_flashed_messages
from wtforms import StringField

from app.errors import DomainError, StaleEdit
from app.hosts.models import Host
from app.versioning import check_version, commit_versioned
from app.web.actions import action
from app.web.forms import BaseForm


class NameForm(BaseForm):
    class Meta:
        csrf = False

    name = StringField("Nom")


def _half_write(db, host, field=None):
    """A service that changes a row and adds one, flushes, then refuses."""
    host.name = "Changé"
    db.session.add(Host(name="Nouveau", city="Lyon", country="France"))
    db.session.flush()
    raise DomainError("Refusé.", field)


def _names(db):
    db.session.expire_all()
    return sorted(db.session.execute(sa.select(Host.name)).scalars())


HTMX = {"HX-Request": "true"}


def test_an_error_of_a_field_goes_to_that_field_and_nothing_is_written(app, db, make):
    host = make.host(name="Archives")
    with app.test_request_context("/", method="POST", data={"name": "x"}):
        form = NameForm()
        with action(form) as act:
            _half_write(db, host, field="name")
        assert not act.ok and act.failure.message == "Refusé."
        assert list(form.name.errors) == ["Refusé."] and form.form_errors == []
        assert get_flashed_messages() == []   # shown on the form, not flashed
    assert _names(db) == ["Archives"]


def test_an_error_of_no_field_of_the_form_goes_to_the_top_of_the_form(app, db, make):
    host = make.host(name="Archives")
    with app.test_request_context("/", method="POST", headers=HTMX):
        form = NameForm()
        with action(form) as act:
            _half_write(db, host, field="not_a_field")
        assert form.form_errors == ["Refusé."] and not form.name.errors
        assert act.error is None and get_flashed_messages() == []
    assert _names(db) == ["Archives"]


def test_several_problems_each_go_to_their_field(app, db):
    err = DomainError("Deux problèmes.")
    err.problems = [DomainError("Nom vide.", "name"), DomainError("Autre chose.")]
    with app.test_request_context("/", method="POST"):
        form = NameForm()
        with action(form):
            raise err
        assert list(form.name.errors) == ["Nom vide."] and form.form_errors == ["Autre chose."]


def test_a_fragment_gets_the_message_and_nothing_is_flashed(app, db, make):
    host = make.host(name="Archives")
    with app.test_request_context("/", method="POST", headers=HTMX):
        with action() as act:
            _half_write(db, host)
        assert act.error == "Refusé."
        assert get_flashed_messages() == []   # a fragment has no flash area: never later
    assert _names(db) == ["Archives"]


def test_a_full_page_gets_the_message_flashed(app, db, make):
    host = make.host(name="Archives")
    with app.test_request_context("/", method="POST"):
        with action() as act:
            _half_write(db, host)
        assert not act.ok and act.error is None
        assert get_flashed_messages(with_categories=True) == [("error", "Refusé.")]
    assert _names(db) == ["Archives"]


def test_inline_says_what_the_request_does_not(app, db):
    with app.test_request_context("/", method="POST", headers=HTMX):
        with action(inline=False) as act:   # the route redirects: the next page shows it
            raise DomainError("Redirigé.")
        assert act.error is None and get_flashed_messages() == ["Redirigé."]
    with app.test_request_context("/", method="POST"):
        with action(inline=True) as act:    # the page shows act.error itself
            raise DomainError("Sur la page.")
        assert act.error == "Sur la page." and get_flashed_messages() == []


def test_success_runs_the_whole_block_and_other_errors_pass_through(app, db):
    with app.test_request_context("/", method="POST"):
        with action() as act:
            done = True
        assert act.ok and done and act.error is None
        with pytest.raises(ZeroDivisionError), action():
            raise ZeroDivisionError


def test_a_stale_version_is_refused_before_any_change(db, make):
    host = make.host()
    check_version(host, host.version_id, "cet organisme")
    with pytest.raises(StaleEdit) as refused:
        check_version(host, host.version_id - 1, "cet organisme")
    assert "cet organisme" in refused.value.message
    with pytest.raises(StaleEdit):
        check_version(host, None)


def test_a_record_saved_meanwhile_by_someone_else_rolls_back_the_write(db, make):
    host = make.host(name="Archives")
    # someone else saves it between our read and our commit
    with db.engine.begin() as conn:
        conn.execute(sa.update(Host).where(Host.id == host.id).values(
            name="Leur nom", version_id=Host.version_id + 1))
    host.name = "Notre nom"
    with pytest.raises(StaleEdit) as refused:
        commit_versioned("cet organisme")
    assert "cet organisme" in refused.value.message
    assert _names(db) == ["Leur nom"]
