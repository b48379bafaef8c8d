"""`flask --app wsgi cueflow ...`: migrate, load demo data, and run everything locally."""

from __future__ import annotations

import click
from flask import Flask, current_app

from api.database import database
from engine.demo import DEMO_PASSWORD, DEMO_PEOPLE, load_demo
from engine.store import migrate

group = click.Group("cueflow", help="Cueflow administration.")


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


@group.command("up")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--web-workers", default=2, show_default=True)
@click.option("--rq-workers", default=1, show_default=True)
def up_command(host: str, port: int, web_workers: int, rq_workers: int) -> None:
    """Migrate, load demo data, then run the web app, RQ workers and the scheduler."""
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
    ).run()
