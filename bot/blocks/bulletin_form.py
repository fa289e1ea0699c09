"""The modals of the weekly bulletin, built from domain objects: the form itself, the
"no bulletin this week" form, the team picker and a plain notice."""

from __future__ import annotations

import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
)
from slack_sdk.models.views import View

from bot import ids
from bulletins.calendar import IsoWeek
from bulletins.cycle.bulletin import MAX_CHARS, MAX_REASON, MOODS, Window, version_of
from bulletins.dates import format_moment, week_start
from bulletins.db.models import Bulletin, Team
from bulletins.i18n import gettext
from bulletins.mrkdwn import escape
from bulletins.names import shown_name

TITLE_CHARS = 24
_BLANK = Bulletin()  # never added to a session: the answers of a form not yet filed


@dataclass(frozen=True)
class FormContext:
    """What the bulletin form needs: the team, the week's window, the bulletin if filed."""

    team: Team
    window: Window
    bulletin: Bulletin | None
    locale: str
    timezone: ZoneInfo


def metadata(team: Team, week: IsoWeek) -> str:
    """What a submitted form says of itself: its team and week."""
    return json.dumps({"team": team.id, "week": str(week)})


def bulletin_metadata(team: Team, week: IsoWeek, bulletin: Bulletin | None) -> str:
    """The bulletin form's: also the version of the bulletin it was opened on (``seen``,
    null when there was none), so that a teammate's filing meanwhile is not replaced."""
    data = json.loads(metadata(team, week)) | {"seen": version_of(bulletin)}
    return json.dumps(data)


def plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=True)


def modal_title(team_name: str, week: IsoWeek, locale: str) -> str:
    """``Team · 2026-W05``, shortened to Slack's 24 characters when needed."""
    full = f"{team_name} · {week}"
    if len(full) <= TITLE_CHARS:
        return full
    suffix = " · " + gettext(locale, "W%(number)s", number=str(week.week).zfill(2))
    room = TITLE_CHARS - len(suffix)
    name = team_name if len(team_name) <= room else team_name[: room - 1] + "…"
    return name + suffix


def modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    locale: str,
    close: str | None = None,
    **kwargs: object,
) -> dict:
    """A modal view as Slack's views.* methods take it; its close button says "Cancel"
    unless ``close`` says otherwise."""
    return View(
        type="modal",
        callback_id=callback_id,
        title=plain(title[:TITLE_CHARS]),
        close=plain(close or gettext(locale, "Cancel")),
        blocks=blocks,
        **kwargs,
    ).to_dict()


def mood_options(locale: str) -> list[Option]:
    """☹️ 😐 🙂 😀, each with a word: an emoji alone is read differently by different people."""
    labels = {
        1: gettext(locale, "Difficult"),
        2: gettext(locale, "Mixed"),
        3: gettext(locale, "Good"),
        4: gettext(locale, "Great"),
    }
    return [Option(value=str(mood), label=f"{MOODS[mood]} {labels[mood]}") for mood in MOODS]


def text_input(
    field: str, label: str, locale: str, initial: str | None, *, optional: bool = False
) -> InputBlock:
    """A free-text answer limited to the core's maximum length for ``field``."""
    limit = MAX_CHARS.get(field, MAX_REASON)
    return InputBlock(
        block_id=field,
        label=plain(label),
        optional=optional,
        hint=plain(gettext(locale, "At most %(limit)s characters.", limit=limit)),
        element=PlainTextInputElement(
            action_id=ids.input_id(field),
            multiline=limit > 200,
            max_length=limit,
            initial_value=initial or None,
        ),
    )


def mood_block(bulletin: Bulletin, locale: str) -> InputBlock:
    """The four moods as labelled radio buttons."""
    options = mood_options(locale)
    return InputBlock(
        block_id=ids.MOOD,
        label=plain(gettext(locale, "How is the team this week?")),
        element=RadioButtonsElement(
            action_id=ids.input_id(ids.MOOD),
            options=options,
            initial_option=options[bulletin.mood - 1] if bulletin.mood in MOODS else None,
        ),
    )


def key_date_block(bulletin: Bulletin, locale: str) -> InputBlock:
    return InputBlock(
        block_id=ids.KEY_DATE,
        label=plain(gettext(locale, "A key date ahead (optional)")),
        optional=True,
        element=DatePickerElement(
            action_id=ids.input_id(ids.KEY_DATE),
            initial_date=bulletin.key_date.isoformat() if bulletin.key_date else None,
        ),
    )


def answer_blocks(bulletin: Bulletin | None, locale: str) -> list[Block]:
    """The form's questions, holding ``bulletin``'s answers when it is being edited."""
    filed = bulletin or _BLANK
    return [
        mood_block(filed, locale),
        text_input(ids.PRIORITY, gettext(locale, "The team's priority"), locale, filed.priority),
        text_input(
            ids.UPS_AND_DOWNS, gettext(locale, "Ups and downs"), locale, filed.ups_and_downs
        ),
        text_input(
            ids.HELP_REQUEST,
            gettext(locale, "Do you need help? From whom, with what?"),
            locale,
            filed.help_request,
            optional=True,
        ),
        key_date_block(filed, locale),
        text_input(
            ids.KEY_DATE_LABEL,
            gettext(locale, "What happens on that date?"),
            locale,
            filed.key_date_label,
            optional=True,
        ),
    ]


def form_context_line(ctx: FormContext) -> str:
    """Whether filing now is on time (and until when) or late."""
    deadline = format_moment(ctx.window.deadline.astimezone(ctx.timezone), ctx.locale)
    params = {"week": week_start(ctx.window.week, ctx.locale), "deadline": deadline}
    if not ctx.window.late:
        return gettext(ctx.locale, "Week of %(week)s, due %(deadline)s.", **params)
    if ctx.bulletin is not None and not ctx.bulletin.late:
        # An edit after the deadline keeps a bulletin filed on time on time.
        return gettext(
            ctx.locale, "Week of %(week)s: filed on time; the deadline was %(deadline)s.", **params
        )
    return gettext(
        ctx.locale,
        "Week of %(week)s: the deadline (%(deadline)s) has passed, so this bulletin is marked "
        "late.",
        **params,
    )


def filed_line(bulletin: Bulletin, locale: str, timezone: ZoneInfo) -> str:
    """Who filed the bulletin and who edited it last, and when."""

    def when(moment) -> str:
        return format_moment(moment.astimezone(timezone), locale)

    line = gettext(
        locale,
        "Filed by %(author)s, %(when)s.",
        author=escape(shown_name(bulletin.author, locale)),
        when=when(bulletin.created_at),
    )
    if bulletin.updated_at != bulletin.created_at:
        line += " " + gettext(
            locale,
            "Last edited by %(editor)s, %(when)s.",
            editor=escape(shown_name(bulletin.updated_by, locale)),
            when=when(bulletin.updated_at),
        )
    return line


def context_block(*lines: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=line) for line in lines])


def excuse_button(team: Team, locale: str) -> list[Block]:
    """Offered until the week is filed: say there is no bulletin, with a reason."""
    return [
        context_block(gettext(locale, "Nothing to report this week (holidays, an event)?")),
        ActionsBlock(
            block_id=ids.EXCUSE_WEEK,
            elements=[
                ButtonElement(
                    text=plain(gettext(locale, "No bulletin this week")),
                    action_id=ids.EXCUSE_WEEK,
                    value=str(team.id),
                )
            ],
        ),
    ]


def form_view(ctx: FormContext) -> dict:
    """The bulletin form for ``ctx.team`` and ``ctx.window.week``."""
    lines = [f"*{escape(ctx.team.name)}* · {form_context_line(ctx)}"]
    if ctx.bulletin is not None:
        lines.append(filed_line(ctx.bulletin, ctx.locale, ctx.timezone))
    blocks: list[Block] = [context_block(*lines), *answer_blocks(ctx.bulletin, ctx.locale)]
    if ctx.bulletin is None:
        blocks += excuse_button(ctx.team, ctx.locale)
    editing = ctx.bulletin is not None
    submit = gettext(ctx.locale, "Update") if editing else gettext(ctx.locale, "File")
    return modal(
        ids.BULLETIN_VIEW,
        modal_title(ctx.team.name, ctx.window.week, ctx.locale),
        blocks,
        ctx.locale,
        submit=plain(submit),
        private_metadata=bulletin_metadata(ctx.team, ctx.window.week, ctx.bulletin),
    )
