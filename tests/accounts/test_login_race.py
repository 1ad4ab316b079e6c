"""Two logins of one account at the same instant (a double-click on « Se connecter »)."""
from app.extensions import db
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.races import at_once, on_postgres, widened


@on_postgres
def test_two_logins_at_once_both_succeed(app, make):
    user = make.user("student")
    email = user.email
    db.session.commit()
    clients = [app.test_client() for _ in range(2)]
    forms = [{"csrf_token": csrf_token(c), "email": email, "password": TEST_PASSWORD}
             for c in clients]
    with widened(db.engine, "users"):
        responses = at_once(*[(lambda c=c, f=f: c.post("/connexion", data=f))
                              for c, f in zip(clients, forms, strict=False)])
    assert [r.status_code for r in responses] == [303, 303]
