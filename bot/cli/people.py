"""``bulletins people``: a person's rights over their data (RGPD): a copy of it, its erasure.

Each command imports what it runs when it runs, so that ``bulletins --help`` and the
other commands start fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli import Context, pass_context
from bulletins.errors import BulletinsError


@click.group()
def people() -> None:
    """A person's data: export it (right of access) or erase it (right to erasure)."""


@people.command("export")
@click.argument("slack_id")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The JSON file to write (default: print it).",
)
@pass_context
def people_export(obj: Context, slack_id: str, out: Path | None) -> None:
    """Everything the product holds about the person with SLACK_ID, as JSON: roster rows,
    teams, bulletins, facts, surveys they were asked (answers of named surveys only)."""
    services = obj.services()
    from bulletins.people import UnknownPerson, person_by_slack_id
    from bulletins.rights.export import person_data, to_json

    with services.sessions() as session:
        try:
            person = person_by_slack_id(session, slack_id)
        except UnknownPerson:
            raise BulletinsError(f"nobody has the Slack id {slack_id} in the database") from None
        document = to_json(person_data(session, person))
    if out is None:
        click.echo(document, nl=False)
        return
    try:
        out.write_text(document, encoding="utf-8")
    except OSError as error:
        raise BulletinsError(f"cannot write {out}: {error.strerror or error}") from None
    click.echo(f"Wrote the data of {slack_id} to {out}.")


@people.command("erase")
@click.argument("slack_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_context
def people_erase(obj: Context, slack_id: str, yes: bool) -> None:
    """Erase the person with SLACK_ID: name, email, Slack id, teams, drafts, named answers,
    messages to them; their team's bulletins stay, by "a former member". Says what it erased."""
    services = obj.services()
    from bulletins.people import UnknownPerson, person_by_slack_id
    from bulletins.rights.erasure import clear_old_copies, erase_person

    if not yes:
        with services.sessions() as session:
            try:
                who = f"{person_by_slack_id(session, slack_id).name} ({slack_id})"
            except UnknownPerson:
                who = None
        if who is not None:
            click.confirm(f"Erase the data of {who}? This cannot be undone", abort=True)
    with services.sessions.begin() as session:
        erasure = erase_person(session, slack_id, services.clock(), services.settings.locale)
    if erasure.erased:
        clear_old_copies(services.engine)
    click.echo(erasure.summary())
