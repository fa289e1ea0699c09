"""The demo's survey results and evaluation snapshot, written as the commands write them:
``bulletins survey results`` (table, Markdown, and the answers as CSV with their Table
Schema) for each campaign, and ``bulletins snapshot`` (``write_snapshot``). Each campaign's
results also get an HTML page for the tour.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from sqlalchemy import select

from bot.demo.pages import labels
from bot.demo.screens.pages import Link, page_html
from bot.standin.workspace import SlackWorkspace
from bulletins.db.models import Campaign
from bulletins.i18n import gettext
from evaluation.results.document import Block, Heading, Paragraph, Table, result_blocks
from evaluation.results.export import ResultsWithheld, open_answers
from evaluation.results.render import as_markdown, as_table
from evaluation.results.tally import campaign_results
from evaluation.snapshot.compose import build_snapshot, generated_line, snapshot_cohort
from evaluation.snapshot.files import file_stem, write_snapshot


def write_results(workspace: SlackWorkspace, out: Path, folder_name: str) -> dict[str, list[Link]]:
    """Every campaign's results in ``out/folder_name``; returns their links by survey id."""
    folder = out / folder_name
    folder.mkdir(parents=True, exist_ok=True)
    settings, by_survey = workspace.services.settings, {}
    with workspace.services.sessions() as session:
        for campaign in session.scalars(select(Campaign).order_by(Campaign.id)):
            links = by_survey.setdefault(campaign.survey_id, [])
            stem = file_stem(campaign.key)
            results = campaign_results(session, campaign, settings.anonymity_k)
            blocks = result_blocks(results, settings.locale)
            title = f"{results.survey.title.get(settings.locale)} ({campaign.key})"
            _write(folder / f"{stem}.html", page_html(title, _html(blocks), labels(workspace)))
            _write(folder / f"{stem}.md", as_markdown(results, settings.locale))
            _write(folder / f"{stem}.txt", as_table(results, settings.locale))
            links.append((title, f"{folder_name}/{stem}.html", f"{folder_name}/{stem}.md"))
            table = gettext(settings.locale, "%(survey)s: as printed in a terminal", survey=title)
            links.append((table, f"{folder_name}/{stem}.txt", None))
            links += _answers(
                session, campaign, folder, stem, settings.anonymity_k, title, settings.locale
            )
    return by_survey


def _answers(
    session, campaign: Campaign, folder: Path, stem: str, k: int, title: str, locale: str
) -> list[Link]:
    """The anonymized answers and their schema, unless under the anonymity threshold."""
    try:
        exported = open_answers(session, campaign, k)
    except ResultsWithheld:
        return []
    schema = json.dumps(exported.schema, ensure_ascii=False, indent=2)
    _write(folder / f"answers-{stem}.csv", exported.csv)
    _write(folder / f"answers-{stem}.schema.json", schema)
    return [
        (gettext(locale, "%(survey)s: the answers as CSV", survey=title),
         f"{folder.name}/answers-{stem}.csv", None),
        (gettext(locale, "%(survey)s: the answers' Table Schema", survey=title),
         f"{folder.name}/answers-{stem}.schema.json", None),
    ]  # fmt: skip


def _html(blocks: list[Block]) -> str:
    """The results' blocks as HTML; the first heading is the page's title."""
    parts = []
    for block in blocks[1:]:
        if isinstance(block, Heading):
            level = min(block.level + 1, 4)
            parts.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Table):
            parts.append(_table(block))
        else:
            items = "".join(f"<li>{html.escape(text)}</li>" for text in block.items)
            parts.append(f"<ul>{items}</ul>")
    return "\n".join(parts)


def _table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in table.header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return f'<table class="results"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def write_snapshot_dir(workspace: SlackWorkspace, out: Path) -> list[Path]:
    """``bulletins snapshot --out DIR`` as of the clock's day, in the programme's language."""
    services = workspace.services
    now = services.calendar.local(services.clock())
    locale = services.settings.locale
    with services.sessions() as session:
        cohort = snapshot_cohort(session, None, now.date())
        built = build_snapshot(
            session, services.calendar, services.settings, cohort, now.date(), locale
        )
        return write_snapshot(session, built, out, generated_line(now, locale))


def _write(path: Path, text: str) -> None:
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8", newline="")
