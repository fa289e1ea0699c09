"""``bulletins survey results``: a campaign's results for a terminal, as Markdown, or its
answers as an open-data CSV with its Table Schema."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.cli import Context, pass_context
from bulletins.errors import BulletinsError


class ResultsProblem(click.ClickException):
    """A problem the person can fix (unknown survey or campaign, too few answers): exit 2."""

    exit_code = 2


@click.command("results")
@click.argument("survey_id", metavar="[ID]", required=False)
@click.option(
    "--campaign", "campaign_key", metavar="KEY", help="This campaign (default: ID's latest)."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "md"]),
    default="table",
    show_default=True,
    help="A table for the terminal, the answers as CSV, or Markdown.",
)
@click.option(
    "--out",
    metavar="PATH",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file; for csv, also its Table Schema in PATH with .schema.json.",
)
@click.option(
    "--locale", type=click.Choice(["fr", "en"]), help="Language (default: the programme's)."
)
@pass_context
def results(
    obj: Context,
    survey_id: str | None,
    campaign_key: str | None,
    output_format: str,
    out: Path | None,
    locale: str | None,
) -> None:
    """Show the results of survey ID's latest campaign (or of --campaign KEY): response
    rates, each question's figures, by role; groups under the anonymity threshold are not
    shown. --format csv exports the anonymized answers and their data dictionary; for an
    anonymous survey, without free text (unless publishable) and with numbers as ranges."""
    if not survey_id and not campaign_key:
        raise ResultsProblem("give a survey ID or --campaign KEY")
    services = obj.services()
    settings = services.settings
    try:
        with services.sessions() as session:
            text, schema = _render(
                session,
                survey_id,
                campaign_key,
                output_format,
                settings.anonymity_k,
                locale or settings.locale,
            )
    except BulletinsError as exc:
        raise ResultsProblem(str(exc)) from exc
    try:
        _write(text, schema, out)
    except OSError as error:
        raise ResultsProblem(f"cannot write {out}: {error.strerror or error}") from None


def _render(
    session, survey_id: str | None, key: str | None, output_format: str, k: int, locale: str
) -> tuple[str, dict | None]:
    from evaluation.results.export import open_answers
    from evaluation.results.render import as_markdown, as_table
    from evaluation.results.tally import campaign_results, find_campaign

    campaign = find_campaign(session, survey_id, key)
    if output_format == "csv":
        exported = open_answers(session, campaign, k)
        return exported.csv, exported.schema
    results = campaign_results(session, campaign, k)
    render = as_markdown if output_format == "md" else as_table
    return render(results, locale), None


def _write(text: str, schema: dict | None, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8", newline="")
    written = [out]
    if schema is not None:
        schema_path = out.with_suffix(".schema.json")
        schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", "utf-8")
        written.append(schema_path)
    click.echo("Wrote " + " and ".join(str(path) for path in written) + ".", err=True)
