"""Writing down the demo: each week's conversations, Home tabs and forms as HTML and
Markdown files (the index is :mod:`bot.demo.tour`'s).

The pages speak the programme's language; their words are in ``demo.po``.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select

from bot import ids
from bot.demo.screens.conversations import Conversation, conversations, home_tabs, opened_views
from bot.demo.screens.pages import (
    Labels,
    Link,
    conversation_html,
    conversation_markdown,
    view_html,
    view_markdown,
)
from bot.standin.workspace import SlackWorkspace
from bulletins.calendar import IsoWeek
from bulletins.dates import format_moment
from bulletins.db.models import Person
from bulletins.i18n import gettext
from bulletins.roster.csv_file import team_slug

APP_NAME = "Bulletins"


class Recorded(Protocol):
    """A stretch of the demo: its calls, the clock along them, and its pages."""

    first_call: int
    last_call: int
    marks: list[tuple[int, datetime]]
    pages: list[Link]


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

    pulse: list[str] = field(default_factory=list)  # mentors who answered the pulse
    helpers: list[str] = field(default_factory=list)  # who clicked "I can help"
    snoozed: list[str] = field(default_factory=list)  # who clicked "Remind me in an hour"

    def counts(self, locale: str = "en") -> str:
        return gettext(
            locale,
            "%(bulletins)s bulletins (%(late)s late), %(excused)s excused, %(silent)s silent",
            bulletins=len(self.filed) + len(self.late),
            late=len(self.late),
            excused=len(self.excused),
            silent=len(self.silent),
        )

    def summary(self) -> str:
        return f"{self.week}: {self.counts()}"


def labels(workspace: SlackWorkspace, record: Recorded | None = None) -> Labels:
    locale = workspace.services.settings.locale
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


def names(workspace: SlackWorkspace) -> dict[str, str]:
    """Display names of the people, for mentions."""
    found = {}
    for call in workspace.standin.calls_to("users.info"):
        if call.ok:
            found[call.args["user"]] = call.response["user"]["name"]
    return found | _people(workspace)


def _people(workspace: SlackWorkspace) -> dict[str, str]:
    with workspace.services.sessions() as session:
        return {p.slack_user_id: p.name for p in session.scalars(select(Person))}


# --- A week, or the end of the cohort ------------------------------------------------------


def write_week(workspace: SlackWorkspace, record: WeekRecord, out: Path) -> None:
    """Write the week's pages into ``<out>/<week>/`` and list them in ``record.pages``."""
    write_calls(workspace, record, out / str(record.week))


def write_calls(
    workspace: SlackWorkspace, record: Recorded, folder: Path, dms: Collection[str] | None = None
) -> None:
    """Write the pages of ``record``'s calls into ``folder``: each conversation (only the
    DMs of ``dms`` when given) with its shared files, Home tabs, the bulletin and facts
    forms; lists them in ``record.pages``."""
    folder.mkdir(parents=True, exist_ok=True)
    calls = workspace.standin.calls[record.first_call : record.last_call]
    people, page_labels = names(workspace), labels(workspace, record)
    page = PageContext(people, page_labels, record, folder)
    locale = workspace.services.settings.locale
    shown = {workspace.standin.dm_channel(user_id) for user_id in dms} if dms is not None else None
    for conversation in conversations(calls):
        stem, title = _conversation_title(workspace, conversation, people, locale)
        if shown is not None and stem.startswith("dm-") and conversation.channel not in shown:
            continue
        _write_files(workspace, conversation, folder)
        html = conversation_html(title, conversation, people, page_labels)
        markdown = conversation_markdown(title, conversation, people, page_labels)
        _write(folder, stem, html, markdown, title, record)
    for user_id, view in home_tabs(calls).items():
        title = gettext(locale, "Home tab of %(name)s", name=people.get(user_id, user_id))
        write_view(f"home-{team_slug(people.get(user_id, user_id))}", title, view, page)
    for stem, callback, title in _forms(locale):
        forms = opened_views(calls, callback)
        if forms:
            write_view(stem, title, forms[0], page)
    record.pages.sort(key=_page_order)


def _forms(locale: str) -> list[tuple[str, str, str]]:
    return [
        ("form", ids.BULLETIN_VIEW, gettext(locale, "The bulletin form")),
        ("form-facts", ids.FACTS_VIEW, gettext(locale, "The team's facts sheet form")),
    ]


def _write_files(workspace: SlackWorkspace, conversation: Conversation, folder: Path) -> None:
    """The files shared in the conversation, beside its page, where the page shows them."""
    stored = workspace.standin.files
    for message in conversation.messages:
        for posted in (message, *message.replies):
            for shared in posted.files:
                content = stored[shared.id].content
                if content is not None:
                    (folder / shared.name).write_bytes(content)


def _page_order(link: Link) -> tuple[int, str]:
    """Channels first, then direct messages, Home tabs and forms, each by title."""
    stem = Path(link[1]).stem
    rank = next((i for i, p in enumerate(("dm-", "home-", "form")) if stem.startswith(p)), -1)
    return rank, link[0].casefold()


def write_view(stem: str, title: str, view: dict[str, Any], page: PageContext) -> None:
    """A modal or a Home tab as a page of ``page.folder``."""
    html = view_html(title, view, page.names, page.labels)
    markdown = view_markdown(title, view, page.names)
    _write(page.folder, stem, html, markdown, title, page.record)


@dataclass(frozen=True)
class PageContext:
    names: dict[str, str]
    labels: Labels
    record: Recorded
    folder: Path


def _write(folder: Path, stem: str, html: str, markdown: str, title: str, record: Recorded) -> None:
    (folder / f"{stem}.html").write_text(html, encoding="utf-8")
    (folder / f"{stem}.md").write_text(markdown, encoding="utf-8")
    record.pages.append((title, f"{folder.name}/{stem}.html", f"{folder.name}/{stem}.md"))


def _conversation_title(
    workspace: SlackWorkspace, conversation: Conversation, people: dict[str, str], locale: str
) -> tuple[str, str]:
    """(file stem, title): the digest channel is ``digest``, a DM is named after its person."""
    channels = workspace.services.settings.channels
    standin = workspace.standin
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
    members = standin.group_members(conversation.channel)
    if members:
        listed = ", ".join(sorted(people.get(user, user) for user in members))
        title = gettext(locale, "Group message: %(names)s", names=listed)
        return f"dm-group-{conversation.channel.lower()}", title
    return f"channel-{conversation.channel.lower()}", conversation.channel
