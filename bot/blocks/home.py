"""The Home tab, built from the core's :class:`~bulletins.home_page.HomePage`: the person's teams
this week with a button to write, their latest bulletins, and for the programme team every
team's week and the last digest."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from types import SimpleNamespace

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import ids
from bulletins.cycle.bulletin import MOODS
from bulletins.cycle.status import Status, TeamWeek
from bulletins.dates import format_moment, week_start
from bulletins.home_page import CohortWeek, HomePage
from bulletins.i18n import gettext
from bulletins.messages import Message
from bulletins.mrkdwn import split_text
from bulletins.rendering import render, render_sections
from evaluation.campaigns.staff_progress import CampaignProgress

SECTION_CHARS = 3000
HOME_BLOCKS = 100  # Slack's limit for a view
Local = Callable[[datetime], datetime]
Permalink = Callable[[], str | None]


def sections(texts: list[str]) -> list[Block]:
    """Mrkdwn sections, each cut to Slack's 3,000 characters."""
    return [
        SectionBlock(text=MarkdownTextObject(text=piece))
        for text in texts
        for piece in split_text(text, SECTION_CHARS)
    ]


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=text[:150], emoji=True))


def home_view(blocks: list[Block], footer: Sequence[Block] = ()) -> dict:
    """The view, within Slack's 100 blocks; the ``footer`` is always kept."""
    return View(type="home", blocks=[*blocks[: 100 - len(footer)], *footer]).to_dict()


def privacy_blocks(notice: str) -> list[Block]:
    """The privacy notice, small, at the foot of the tab."""
    pieces = split_text(notice, 2000)  # a context element's limit
    return [DividerBlock(), ContextBlock(elements=[MarkdownTextObject(text=pieces[0])])]


def team_block(
    tw: TeamWeek, page: HomePage, locale: str, local: Local, evaluation: str | None = None
) -> SectionBlock:
    """One of the person's teams this week, with a button to write or edit; ``evaluation``:
    a line on its tool and indicators."""
    offers = page.offers.get(tw.bulletin.id, []) if tw.bulletin else []
    text = render(
        "home_team",
        locale,
        tw=tw,
        window=page.window,
        local=local,
        evaluation=evaluation,
        offers=offers,
    )
    label = gettext(locale, "Edit") if tw.bulletin else gettext(locale, "Write")
    return SectionBlock(
        block_id=ids.team_block(tw.team.id),
        text=MarkdownTextObject(text=text[:SECTION_CHARS]),
        accessory=ButtonElement(
            text=PlainTextObject(text=label),
            action_id=ids.OPEN_FORM,
            value=str(tw.team.id),
            style=None if tw.bulletin else "primary",
        ),
    )


def cohort_blocks(week: CohortWeek, page: HomePage, locale: str) -> list[Block]:
    """For the programme team: every team of a cohort this week, and the counts."""
    counts = SimpleNamespace(
        filed=week.count(Status.FILED),
        late=week.count(Status.LATE),
        excused=week.count(Status.EXCUSED),
        missing=week.count(Status.SILENT, Status.WAITING),
    )
    texts = render_sections(
        "home_staff", locale, cohort_week=week, window=page.window, counts=counts
    )
    return [DividerBlock(), *sections(texts)]


def digest_blocks(
    page: HomePage, locale: str, local: Local, room: int, permalink: Permalink
) -> list[Block]:
    """For the programme team: when and where the last digest went, and the whole of it as
    it reads now, within ``room`` blocks; when it does not fit (or continues in its thread),
    what fits and a link to it in Slack."""
    if page.digest is None or page.digest_shown is None:
        return []
    intro = render("home_digest", locale, digest=page.digest, local=local)
    if not page.digest_shown:  # emptied: older than ``[retention] sent_messages_days``
        return [DividerBlock(), *sections([intro])]
    digest = Message.from_json(page.digest_shown)
    # The digest's sections were composed (and people's text escaped) by the product.
    shown = sections([intro, *(s.text for s in digest.sections)])
    if len(shown) + 1 <= room and not page.digest_continues:
        return [DividerBlock(), *shown]
    link = permalink()
    if link is None:
        return [DividerBlock(), *shown[: room - 1]]
    more = gettext(locale, "Read the whole digest in Slack")
    # A link (Slack's own URL) in mrkdwn: not a person's text.
    return [DividerBlock(), *shown[: room - 2], *sections([f"<{link}|{more}>"])]


def help_blocks(page: HomePage, locale: str) -> list[Block]:
    """For the programme team: the help requests of the last four weeks, and who offered."""
    if not page.help_requests:
        return []
    return [DividerBlock(), *sections([render("home_help", locale, requests=page.help_requests)])]


def undelivered_blocks(page: HomePage, locale: str, outbox_url: str | None = None) -> list[Block]:
    """For the programme team, when some messages could not be delivered: how many, and
    where to see them: the console's outbox page (``outbox_url``) when the console is
    configured, else the command that lists them."""
    if page.undelivered <= 0:
        return []
    if outbox_url:
        if page.undelivered == 1:
            text = gettext(
                locale, "⚠️ 1 message could not be delivered: see <%(url)s|the console's outbox>.",
                url=outbox_url,
            )  # fmt: skip
        else:
            text = gettext(
                locale,
                "⚠️ %(count)s messages could not be delivered: see <%(url)s|the console's outbox>.",
                count=page.undelivered,
                url=outbox_url,
            )
    elif page.undelivered == 1:
        text = gettext(
            locale, "⚠️ 1 message could not be delivered: see `bulletins outbox --failed`."
        )
    else:
        text = gettext(
            locale,
            "⚠️ %(count)s messages could not be delivered: see `bulletins outbox --failed`.",
            count=page.undelivered,
        )
    return sections([text])


def page_blocks(
    page: HomePage,
    locale: str,
    local: Local,
    evaluation: Mapping[int, str] | None = None,
    permalink: Permalink = lambda: None,
    reserved: int = 0,
    outbox_url: str | None = None,
) -> list[Block]:
    """Every block of a known person's Home tab; ``evaluation``: a line per team id;
    ``permalink``: the last digest's link, asked for only when it does not fit; ``reserved``:
    blocks that follow (the surveys' progress)."""
    deadline = format_moment(page.window.deadline, locale)
    blocks: list[Block] = [
        header(
            gettext(
                locale, "Bulletins · week of %(week)s", week=week_start(page.window.week, locale)
            )
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(text=gettext(locale, "Due %(deadline)s.", deadline=deadline))
            ]
        ),
    ]
    blocks += undelivered_blocks(page, locale, outbox_url)
    lines = evaluation or {}
    blocks += [team_block(tw, page, locale, local, lines.get(tw.team.id)) for tw in page.own]
    if page.recent:
        texts = [render("bulletin_entry", locale, bulletin=b, moods=MOODS) for b in page.recent]
        blocks += [DividerBlock(), header(gettext(locale, "Latest bulletins")), *sections(texts)]
    for week in page.cohorts:
        blocks += cohort_blocks(week, page, locale)
    blocks += help_blocks(page, locale)
    room = HOME_BLOCKS - len(blocks) - reserved - 1
    return blocks + digest_blocks(page, locale, local, room, permalink)


def campaign_blocks(
    campaigns: Sequence[CampaignProgress], locale: str, local: Local
) -> list[Block]:
    """For the programme team: each open survey's progress (counted from participations)."""
    if not campaigns:
        return []
    shown = [
        SimpleNamespace(
            title=c.title.get(locale),
            period=c.key.split(":", 1)[1] if ":" in c.key else None,
            answered=c.answered,
            invited=c.invited,
            anonymous=c.anonymous,
            closes=local(c.closes_at),
        )
        for c in campaigns
    ]
    return [DividerBlock(), *sections([render("survey_progress", locale, campaigns=shown)])]


def person_home(
    page: HomePage,
    locale: str,
    local: Local,
    no_team: str | None,
    campaigns: Sequence[CampaignProgress] = (),
    evaluation: Mapping[int, str] | None = None,
    permalink: Permalink = lambda: None,
    privacy: str | None = None,
    outbox_url: str | None = None,
) -> dict:
    """The Home tab of someone in the roster; ``no_team`` explains why nothing is shown;
    ``campaigns``: the open surveys' progress, for the programme team; ``evaluation``: a
    line per team id on its tool and indicators; ``permalink``: the last digest's link;
    ``privacy``: the privacy notice; ``outbox_url``: the console's outbox page, if served."""
    after = campaign_blocks(campaigns, locale, local)
    if no_team:
        after += sections([no_team])
    footer = privacy_blocks(privacy) if privacy else []
    reserved = len(after) + len(footer)
    blocks = page_blocks(
        page, locale, local, evaluation, permalink, reserved=reserved, outbox_url=outbox_url
    )
    blocks += after
    return home_view(blocks, footer)


def stranger_home(locale: str) -> dict:
    """The Home tab of someone not in the roster."""
    return home_view(sections([render("home_stranger", locale)]))
