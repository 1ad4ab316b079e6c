"""Application factory."""
from __future__ import annotations

import logging
import os

from flask import Flask

from config import BASE_DIR, CONFIGS, ProductionConfig, engine_options


def create_app(config: str | type | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    if config is None:
        config = os.environ.get("FLASK_CONFIG", "development")
    cfg = CONFIGS[config] if isinstance(config, str) else config
    if isinstance(cfg, type) and issubclass(cfg, ProductionConfig):
        cfg.check()
    app.config.from_object(cfg)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)

    proxies = int(app.config.get("TRUSTED_PROXIES", 0) or 0)
    if proxies:
        # Behind a reverse proxy: take the client's address (rate limit) and scheme from it.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    _init_extensions(app)
    from app.web import inputs

    inputs.register(app)  # after htmx-flask sets its request class, before any URL rule
    _register_blueprints(app)

    from app.web import errors, formatting, security

    errors.register(app)
    formatting.register(app)
    app.after_request(security.add_security_headers)

    from app.web import requestlog

    requestlog.register(app)
    if app.config.get("JOBS_IN_PROCESS") and not app.config.get("REDIS_URL"):
        _start_jobs_ticker_on_first_request(app)

    from app import cli
    from app.web import bench

    cli.register(app)
    bench.register(app)
    return app


def _start_jobs_ticker_on_first_request(app: Flask) -> None:
    """Without Redis, the scheduled jobs run in a thread of the serving process, started by
    its first request (a CLI command never starts it)."""
    from app.jobs.services import start_in_process_ticker

    @app.before_request
    def _ticker() -> None:
        start_in_process_ticker(app)


def _init_extensions(app: Flask) -> None:
    from app.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=lambda: "fr")
    limiter.init_app(app)
    login_manager.init_app(app)

    from app import models  # noqa: F401  (every table in the metadata)
    from app.accounts import auth  # noqa: F401  (user loader, unauthorized handler)


def _register_blueprints(app: Flask) -> None:
    from app.abroad import bp as abroad_bp
    from app.accounts import bp as accounts_bp
    from app.applications import bp as applications_bp
    from app.budget import bp as budget_bp
    from app.conventions import bp as conventions_bp
    from app.defenses import bp as defenses_bp
    from app.evaluations import bp as evaluations_bp
    from app.feedback import bp as feedback_bp
    from app.figures import bp as figures_bp
    from app.grants import bp as grants_bp
    from app.gratification import bp as gratification_bp
    from app.home import bp as home_bp
    from app.hosts import bp as hosts_bp
    from app.internships import bp as internships_bp
    from app.notifications import bp as notifications_bp
    from app.offers import bp as offers_bp
    from app.oneyear import bp as oneyear_bp
    from app.tracks import bp as tracks_bp
    from app.tutoring import bp as tutoring_bp
    from app.years import bp as years_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(hosts_bp)
    app.register_blueprint(offers_bp)
    app.register_blueprint(internships_bp)
    app.register_blueprint(years_bp)
    app.register_blueprint(oneyear_bp)
    app.register_blueprint(grants_bp)
    app.register_blueprint(budget_bp)
    app.register_blueprint(gratification_bp)
    app.register_blueprint(applications_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(conventions_bp)
    app.register_blueprint(tutoring_bp)
    app.register_blueprint(tracks_bp)
    app.register_blueprint(defenses_bp)
    app.register_blueprint(evaluations_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(figures_bp)
    app.register_blueprint(abroad_bp)
    from app.exports import bp as exports_bp
    from app.jobs import bp as jobs_bp

    app.register_blueprint(jobs_bp)
    app.register_blueprint(exports_bp)

    from app.extensions import db

    @app.context_processor
    def unread_notifications():
        from flask_login import current_user
        from sqlalchemy.exc import SQLAlchemyError

        from app.notifications.services import unread_count

        try:
            if current_user.is_authenticated:
                return {"unread_notifications": unread_count(current_user)}
        except SQLAlchemyError:  # an error page must render even without the database
            db.session.rollback()
        return {"unread_notifications": 0}
