"""Error pages: a clear French page for a full request, a short message for htmx."""
from __future__ import annotations

from flask import Response, g, has_request_context, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.web.htmx import is_htmx

MESSAGES = {
    400: ("Requête invalide", "La requête n’a pas pu être comprise."),
    403: ("Accès refusé", "Vous n’avez pas accès à cette page ou à cette action."),
    404: ("Page introuvable", "Cette page n’existe pas ou plus."),
    405: ("Action impossible", "Cette action n’est pas permise ici."),
    413: ("Fichier trop volumineux", "Le fichier envoyé dépasse la taille autorisée."),
    429: ("Trop de tentatives", "Trop de tentatives en peu de temps. Réessayez dans une minute."),
    500: ("Erreur du serveur", "Une erreur est survenue ; rien n’a été enregistré. Réessayez ou "
                               "prévenez le secrétariat si le problème persiste."),
}
# When the error came after the action was saved, the page must not say the opposite.
SAVED_THEN_FAILED = ("Une erreur est survenue après l’enregistrement : ce que vous avez fait "
                     "est bien enregistré, mais la page n’a pas pu s’afficher. Rechargez-la "
                     "pour vérifier, et prévenez le secrétariat si le problème persiste.")


@event.listens_for(Session, "after_commit")
def _remember_commit(session) -> None:
    if has_request_context():
        g.committed = True


def _respond(status: int, detail: str | None = None):
    title, message = MESSAGES.get(status, MESSAGES[500])
    if detail:
        message = detail
    if is_htmx():
        resp = Response(message, status=status, mimetype="text/plain")
        return resp
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(err):
        return _respond(400, "Le formulaire a expiré ou n’est pas valide (jeton CSRF). "
                             "Rechargez la page et recommencez.")

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if err.code and err.code < 400:
            return err
        return _respond(err.code or 500)

    @app.errorhandler(Exception)
    def server_error(err):
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return _respond(500, SAVED_THEN_FAILED if g.get("committed") else None)
