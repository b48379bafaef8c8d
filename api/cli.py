"""`flask --app wsgi cueflow ...`: migrate, load demo data, and run everything locally."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from api.database import database
from engine import accounts, runbooks
from engine.demo import DEMO_PASSWORD, DEMO_PEOPLE, load_demo
from engine.errors import CueflowError
from engine.model.access import Permission
from engine.store import migrate
from engine.store.accounts import User
from engine.templates import TEMPLATES, load_template

group = AppGroup("cueflow", help="Cueflow administration.")


def init_app(app: Flask) -> None:
    app.cli.add_command(group)


@group.command("migrate")
@click.option("--revision", default="head", show_default=True)
def migrate_command(revision: str) -> None:
    """Upgrade the database to a revision."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {migrate.current_revision(database().engine)}")


@group.command("demo")
def demo_command() -> None:
    """Load the demo workspace and people (idempotent)."""
    with database().session() as session:
        workspace = load_demo(session)
        click.echo(f"demo workspace #{workspace.id}: {workspace.name}")
    for person in DEMO_PEOPLE:
        click.echo(f"  {person.email:<26} {person.role:<8} password: {DEMO_PASSWORD}")


@group.group("templates", invoke_without_command=True)
@click.pass_context
def templates_group(ctx: click.Context) -> None:
    """List the built-in runbook templates, or load them into a workspace."""
    if ctx.invoked_subcommand is None:
        for template in TEMPLATES:
            nodes = len(load_template(template.key)["nodes"])
            click.echo(
                f"{template.key:<16} {nodes:>3} nodes  {template.title_zh} / {template.title_en}"
            )


@templates_group.command("load")
@click.option("--workspace", "workspace_id", type=int, required=True, help="Workspace id")
@click.option("--as", "email", required=True, help="E-mail of a planner or admin there")
@click.argument("keys", nargs=-1)
def templates_load(workspace_id: int, email: str, keys: tuple[str, ...]) -> None:
    """Create a runbook from each template KEY (all templates when none is given)."""
    try:
        with database().session() as session:
            user = session.scalar(select(User).where(User.email == accounts.normalise_email(email)))
            if user is None:
                raise click.BadParameter(f"no user {email}", param_hint="--as")
            accounts.require_member(session, user.id, workspace_id, Permission.WRITE_RUNBOOKS)
            now = datetime.now(UTC)
            for key in keys or [t.key for t in TEMPLATES]:
                runbook = runbooks.create_from_template(session, workspace_id, user, key, now=now)
                session.flush()
                click.echo(
                    f"runbook #{runbook.id}: {runbook.name} ({runbook.draft.node_count} nodes)"
                )
    except CueflowError as exc:
        raise click.ClickException(f"{exc.code}: {exc.detail}") from None


@group.command("up")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--web-workers", default=2, show_default=True)
@click.option("--rq-workers", default=1, show_default=True)
def up_command(host: str, port: int, web_workers: int, rq_workers: int) -> None:
    """Migrate, load demo data, then run the web app, RQ workers and the scheduler;
    restart whichever dies, until Ctrl-C."""
    from api.launcher import Launcher

    migrate.upgrade(current_app.config["DATABASE_URL"])
    with database().session() as session:
        load_demo(session)
    Launcher(
        database_url=current_app.config["DATABASE_URL"],
        redis_url=current_app.config["REDIS_URL"],
        host=host,
        port=port,
        web_workers=web_workers,
        rq_workers=rq_workers,
        embedded_redis=current_app.extensions.get("cueflow.embedded_redis"),
    ).run()
