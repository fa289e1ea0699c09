"""Writing down the demo: each week's conversations, Home tabs and form as HTML and
Markdown files, and the index linking everything.

The pages speak the programme's language; their words are in ``demo.po``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot import ids
from bot.render.conversations import Conversation, conversations, home_tabs, opened_views
from bot.render.pages import (
    Labels,
    Link,
    conversation_html,
    conversation_markdown,
    index_html,
    index_markdown,
    view_html,
    view_markdown,
)
from bot.standin.bench import SlackBench
from bulletins.calendar import IsoWeek
from bulletins.db.models import Person
from bulletins.i18n import gettext
from bulletins.rendering import format_day, format_moment
from bulletins.roster import team_slug

if TYPE_CHECKING:
    from bot.demo import DemoResult

APP_NAME = "Bulletins"


@dataclass
class WeekRecord:
    """What happened in one week of the demo, and the pages written for it."""

    week: IsoWeek
    first_call: int
    last_call: int = 0
    marks: list[tuple[int, datetime]] = field(default_factory=list)  # (call index, clock)
    filed: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    excused: list[str] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)
    missing_homes: list[str] = field(default_factory=list)  # no Home tab was published
    pages: list[Link] = field(default_factory=list)  # (title, HTML path, Markdown path)

    def summary(self) -> str:
        return (
            f"{self.week}: {len(self.filed) + len(self.late)} bulletins "
            f"({len(self.late)} late), {len(self.excused)} excused, {len(self.silent)} silent"
        )


def labels(bench: SlackBench, record: WeekRecord | None = None) -> Labels:
    locale = bench.services.settings.locale
    marks = record.marks if record else []
    positions = [index for index, _ in marks]

    def when(index: int) -> str:
        at = bisect.bisect_right(positions, (record.first_call if record else 0) + index) - 1
        return format_moment(marks[max(at, 0)][1], locale) if marks else ""

    def replies(count: int) -> str:
        if count == 1:
            return gettext(locale, "1 reply")
        return gettext(locale, "%(num)s replies", num=count)

    back = gettext(locale, "Back to the index")
    return Labels(app=APP_NAME, replies=replies, back=back, when=when, lang=locale)


def names(bench: SlackBench) -> dict[str, str]:
    """Display names of the people, for mentions."""
    found = {}
    for call in bench.standin.calls_to("users.info"):
        if call.ok:
            found[call.args["user"]] = call.response["user"]["name"]
    return found | _people(bench)


def _people(bench: SlackBench) -> dict[str, str]:
    with bench.services.sessions() as session:
        return {p.slack_user_id: p.name for p in session.scalars(select(Person))}


# --- A week --------------------------------------------------------------------------------


def write_week(bench: SlackBench, record: WeekRecord, out: Path) -> None:
    """Write the week's pages into ``<out>/<week>/`` and list them in ``record.pages``."""
    folder = out / str(record.week)
    folder.mkdir(parents=True, exist_ok=True)
    calls = bench.standin.calls[record.first_call : record.last_call]
    people, page_labels = names(bench), labels(bench, record)
    page = _PageContext(people, page_labels, record)
    locale = bench.services.settings.locale
    for conversation in conversations(calls):
        stem, title = _conversation_title(bench, conversation, people, locale)
        html = conversation_html(title, conversation, people, page_labels)
        markdown = conversation_markdown(title, conversation, people, page_labels)
        _write(folder, stem, html, markdown, title, record)
    for user_id, view in home_tabs(calls).items():
        title = gettext(locale, "Home tab of %(name)s", name=people.get(user_id, user_id))
        stem = f"home-{team_slug(people.get(user_id, user_id))}"
        _write_view(folder, stem, title, view, page)
    forms = opened_views(calls, ids.BULLETIN_VIEW)
    if forms:
        _write_view(folder, "form", gettext(locale, "The bulletin form"), forms[0], page)
    record.pages.sort(key=_page_order)


def _page_order(link: Link) -> tuple[int, str]:
    """Channels first, then direct messages, Home tabs and the form, each by title."""
    stem = Path(link[1]).stem
    rank = next((i for i, p in enumerate(("dm-", "home-", "form")) if stem.startswith(p)), -1)
    return rank, link[0].casefold()


def _write_view(
    folder: Path, stem: str, title: str, view: dict[str, Any], page: _PageContext
) -> None:
    html = view_html(title, view, page.names, page.labels)
    _write(folder, stem, html, view_markdown(title, view, page.names), title, page.record)


@dataclass(frozen=True)
class _PageContext:
    names: dict[str, str]
    labels: Labels
    record: WeekRecord


def _write(
    folder: Path, stem: str, html: str, markdown: str, title: str, record: WeekRecord
) -> None:
    (folder / f"{stem}.html").write_text(html, encoding="utf-8")
    (folder / f"{stem}.md").write_text(markdown, encoding="utf-8")
    record.pages.append((title, f"{folder.name}/{stem}.html", f"{folder.name}/{stem}.md"))


def _conversation_title(
    bench: SlackBench, conversation: Conversation, people: dict[str, str], locale: str
) -> tuple[str, str]:
    """(file stem, title): the digest channel is ``digest``, a DM is named after its person."""
    channels = bench.services.settings.channels
    standin = bench.standin
    for role in ("digest", "announce", "staff"):
        wanted = getattr(channels, role)
        if conversation.channel == wanted or standin.channel_name(conversation.channel) == (
            wanted.lstrip("#")
        ):
            return role, f"#{standin.channel_name(conversation.channel) or wanted}"
    for user_id, name in people.items():
        if conversation.channel == standin.dm_channel(user_id):
            title = gettext(locale, "Direct message to %(name)s", name=name)
            return f"dm-{team_slug(name)}", title
    return f"channel-{conversation.channel.lower()}", conversation.channel


# --- The index -----------------------------------------------------------------------------


def write_index(result: DemoResult, bench: SlackBench) -> None:
    """``index.html`` and ``index.md`` linking every page, the CSV and the database."""
    locale = bench.services.settings.locale
    title = gettext(locale, "Bulletins demo")
    intro = gettext(
        locale,
        "What Slack would have shown during %(weeks)s weeks of a sample cohort, played "
        "through the app's real HTTP endpoint with the built-in Slack stand-in.",
        weeks=len(result.weeks),
    )
    sections = [(_week_heading(record, locale), record.pages) for record in result.weeks]
    data = [
        (gettext(locale, "All bulletins, as CSV for spreadsheets"), result.csv.name, None),
        (gettext(locale, "The SQLite database"), result.database.name, None),
    ]
    sections.append((gettext(locale, "Data"), data))
    result.index.write_text(index_html(title, intro, sections, labels(bench)), encoding="utf-8")
    (result.out / "index.md").write_text(index_markdown(title, intro, sections), encoding="utf-8")


def _week_heading(record: WeekRecord, locale: str) -> str:
    return gettext(
        locale,
        "Week %(week)s, %(start)s to %(end)s",
        week=str(record.week),
        start=format_day(record.week.monday, locale, "d MMMM"),
        end=format_day(record.week.sunday, locale, "d MMMM y"),
    )
