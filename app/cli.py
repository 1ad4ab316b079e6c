"""Flask commands: ``flask --app wsgi seed-demo``, ``import-students``, ``create-admin``."""
from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing when users already exist.")
    def seed_demo(if_empty: bool) -> None:
        """Create a realistic demo department (idempotent)."""
        from app.accounts.models import User
        from app.demo import seed

        if if_empty and db.session.execute(select(func.count(User.id))).scalar_one():
            click.echo("Base déjà peuplée : rien à faire.")
            return
        report = seed()
        click.echo(", ".join(f"{k} : {v}" for k, v in report.items()))

    @app.cli.command("import-students")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def import_students_cmd(path: str) -> None:
        """Import students from a CSV file (all or nothing)."""
        from app.accounts.services import import_students
        from app.errors import DomainError

        with open(path, "rb") as fh:
            raw = fh.read()
        try:
            result = import_students(raw)
        except DomainError as err:
            raise click.ClickException(err.message)
        if not result.ok:
            for line, reason in result.errors:
                click.echo(f"ligne {line} : {reason}", err=True)
            raise click.ClickException("Rien n’a été importé.")
        for user, password in result.created:
            click.echo(f"{user.email};{password}")

    @app.cli.command("send-evaluation-reminders")
    def send_evaluation_reminders() -> None:
        """Open the evaluations of ended internships and remind who has not answered
        (run daily by cron)."""
        from datetime import date

        from app.evaluations.services import send_reminders

        with app.test_request_context(base_url=app.config.get("PUBLIC_URL") or None):
            n = send_reminders(date.today(), app.config["EVALUATION_REMINDER_DAYS"])
        click.echo(f"{n} relance(s) envoyée(s).")

    @app.cli.command("create-admin")
    @click.option("--email", prompt=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def create_admin(email: str, password: str) -> None:
        """Create an administrator account (first start in production)."""
        from app.accounts.services import NewUser, create_user
        from app.errors import DomainError

        try:
            user, _ = create_user(NewUser(first_name="Admin", last_name="Intranet", email=email,
                                          role="admin", password=password))
        except DomainError as err:
            raise click.ClickException(err.message)
        user.must_change_password = False
        db.session.commit()
        click.echo(f"Administrateur {user.email} créé.")
