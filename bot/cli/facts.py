"""``bulletins facts``: teams' facts sheets from a file.

The group reads the ``Context`` object of ``bot.cli`` (settings and services, built on
demand) from click's context, so this module does not import ``bot.cli.main``.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def facts() -> None:
    """Manage the teams' facts sheets (tool, people hired, code, data, trainings)."""


@facts.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def facts_import(obj, file: Path) -> None:
    """Import teams' facts from a CSV (cohort,team,tool_status,...,note): all rows or none."""
    services = obj.services()
    from evaluation.facts.importing import import_facts, read_facts_file

    with services.sessions.begin() as session:
        rows = read_facts_file(session, file)
        report = import_facts(session, rows, services.clock())
    click.echo(report.summary())
