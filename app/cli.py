"""Flask commands: ``flask --app wsgi seed-demo``, ``import-students``, ``send-outbox``,
``worker``, ``sync-directory``, ``create-admin``."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.extensions import db
from app.plurals import count_text


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when users already exist.")
@with_appcontext
def seed_demo(if_empty: bool) -> None:
    """Create a realistic demo department (idempotent)."""
    from app.accounts.models import User
    from app.demo import seed

    if if_empty and db.session.execute(select(func.count(User.id))).scalar_one():
        click.echo("Base déjà peuplée : rien à faire.")
        return
    report = seed()
    click.echo(", ".join(f"{k} : {v}" for k, v in report.items()))


@click.command("import-students")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_students_cmd(path: str) -> None:
    """Import students from a CSV file (all or nothing)."""
    from app.accounts.services import import_students
    from app.errors import DomainError

    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        result = import_students(raw)
    except DomainError as err:
        raise click.ClickException(err.message) from None
    if not result.ok:
        for line, reason in result.errors:
            click.echo(f"ligne {line} : {reason}", err=True)
        raise click.ClickException("Rien n’a été importé.")
    for user, password in result.created:
        click.echo(f"{user.email};{password}")


@click.command("send-evaluation-reminders")
@with_appcontext
def send_evaluation_reminders() -> None:
    """Open the evaluations of ended internships and remind who has not answered
    (run daily by cron)."""
    from datetime import date

    from app.evaluations.services import send_reminders

    n = send_reminders(date.today(), current_app.config["EVALUATION_REMINDER_DAYS"])
    click.echo(count_text("%(num)d relance envoyée.", "%(num)d relances envoyées.", n))


@click.command("send-one-year-surveys")
@with_appcontext
def send_one_year_surveys() -> None:
    """Send the « un an après » questionnaires due today (run daily: each is sent once)."""
    from datetime import date

    from app.oneyear.services import send_due

    n = send_due(date.today())
    click.echo(count_text("%(num)d questionnaire « un an après » envoyé.",
                          "%(num)d questionnaires « un an après » envoyés.", n))


@click.command("refresh-figures")
@with_appcontext
def refresh_figures() -> None:
    """Count the statistics of the running years again (run every few minutes, so that
    the statistics page never has to)."""
    from datetime import date

    from app.figures.services import refresh_running
    from app.offers.services import domains

    for year, kept in refresh_running(date.today(), domains()):
        counted = count_text("%(num)d stage compté.", "%(num)d stages comptés.",
                             kept.figures.internships)
        click.echo(f"{year.label} : {counted}")


@click.command("send-outbox")
@click.option("--all", "everything", is_flag=True,
              help="Also the emails waiting for their next attempt or given up "
                   "(to flush the outbox once the mail server is back).")
@with_appcontext
def send_outbox(everything: bool) -> None:
    """Send the emails waiting in the outbox (for cron, or after an outage)."""
    from app.notifications.outbox import send_pending

    report = send_pending(everything=everything)
    line = count_text("%(num)d courriel envoyé", "%(num)d courriels envoyés", report.sent) + \
        f", {report.failed} en échec"
    if report.given_up:
        line += count_text(" (dont %(num)d abandonné après le dernier essai)",
                           " (dont %(num)d abandonnés après le dernier essai)", report.given_up)
    click.echo(line + ".")
    if report.failed:
        raise SystemExit(1)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run the RQ worker: the outbox's emails and the scheduled jobs (needs REDIS_URL)."""
    from app.jobs.services import run_worker

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException(
            "REDIS_URL n’est pas défini : sans Redis, les courriels partent dans le "
            "processus de l’intranet, sans worker.")
    run_worker(burst=burst)


@click.command("sync-directory")
@click.option("--dry-run", is_flag=True, help="Show the report, write nothing.")
@with_appcontext
def sync_directory_cmd(dry_run: bool) -> None:
    """Create, update and deactivate accounts from the LDAP directory."""
    from ldap3.core.exceptions import LDAPException

    from app.accounts.directory_sync import sync_directory
    from app.errors import DomainError

    if not current_app.config.get("LDAP_URL"):
        raise click.ClickException("LDAP_URL n’est pas défini : pas d’annuaire à lire.")
    try:
        report = sync_directory(dry_run=dry_run)
    except DomainError as err:
        raise click.ClickException(err.message) from None
    except LDAPException as err:  # the directory unreachable, a refused bind
        raise click.ClickException(f"Annuaire injoignable ou refusé : {err}") from None
    for line in report.lines():
        click.echo(line)


@click.command("run-due-jobs")
@with_appcontext
def run_due_jobs() -> None:
    """Run the scheduled jobs whose slot is due and not yet run (without a worker: from
    cron, every few minutes)."""
    from app.jobs.services import run_due

    outcomes = run_due()
    for o in outcomes:
        if o.outcome != "skipped":
            click.echo(f"{o.job} : {'réussie' if o.outcome == 'ok' else 'en échec'} — "
                       f"{o.message}")
    done = [o for o in outcomes if o.outcome != "skipped"]
    if not done:
        click.echo("Aucune tâche à lancer.")
    if any(o.outcome == "error" for o in outcomes):
        raise SystemExit(1)


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin(email: str, password: str) -> None:
    """Create an administrator account (first start in production)."""
    from app.accounts.services import NewUser, create_user
    from app.errors import DomainError

    try:
        user, _ = create_user(NewUser(first_name="Admin", last_name="Intranet", email=email,
                                      role="admin", password=password))
    except DomainError as err:
        raise click.ClickException(err.message) from None
    user.must_change_password = False
    db.session.commit()
    click.echo(f"Administrateur {user.email} créé.")


def register(app: Flask) -> None:
    for command in (seed_demo, import_students_cmd, send_evaluation_reminders,
                    send_one_year_surveys, refresh_figures, send_outbox, worker,
                    sync_directory_cmd, run_due_jobs, create_admin):
        app.cli.add_command(command)
