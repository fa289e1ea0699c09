"""The questionnaire modal, one survey page at a time.

Conditions (``show_if``): a page shows the questions visible given the answers known so
far, the page's own included. An input that other questions depend on dispatches its
changes (``dispatch_action``), and the listener redraws the page with ``views.update``, so
that a dependent question on the same page appears or disappears as the person answers.
Questions on later pages simply follow the saved answers; a page whose questions are all
hidden is skipped. Answers to hidden questions are never read (``survey_values``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import ids
from bot.blocks.survey_questions import plain, question_blocks, short
from bot.blocks.survey_values import PageMeta
from bulletins.i18n import gettext
from bulletins.mrkdwn import escape
from evaluation.surveys.definitions import Page, Question, Survey, visible

TITLE_CHARS = 24
HEADER_CHARS = 150


@dataclass(frozen=True)
class PageContext:
    """What a page of the questionnaire needs: the survey, where the person is, and the
    answers known so far (saved, or being typed on this page)."""

    survey: Survey
    campaign_id: int
    page: int
    answers: Mapping[str, Any]
    locale: str
    anonymous: bool


def visible_questions(page: Page, answers: Mapping[str, Any]) -> list[Question]:
    return [question for question in page.questions if visible(question, answers)]


def shown_pages(survey: Survey, answers: Mapping[str, Any]) -> list[int]:
    """The indices of the pages with at least one question to show."""
    return [i for i, page in enumerate(survey.pages) if visible_questions(page, answers)]


def next_page(survey: Survey, start: int, answers: Mapping[str, Any]) -> int | None:
    """The first page from ``start`` on with something to show; None when there is none."""
    return next((i for i in shown_pages(survey, answers) if i >= start), None)


def controllers(page: Page) -> set[str]:
    """The questions whose answer decides whether another question of ``page`` is shown:
    their changes redraw the page."""
    return {q.show_if.question for q in page.questions if q.show_if is not None}


def position_line(ctx: PageContext) -> str:
    """``Pulse mentors · page 2 sur 7`` (counting the pages that will be shown)."""
    shown = shown_pages(ctx.survey, ctx.answers)
    number = sum(1 for i in shown if i < ctx.page) + 1
    total = max(len(shown), number)
    where = gettext(ctx.locale, "page %(page)s of %(pages)s", page=number, pages=total)
    return f"*{escape(ctx.survey.title.get(ctx.locale))}* · {where}"


def privacy_line(anonymous: bool, locale: str) -> str:
    """Who sees what, for anonymous and named surveys."""
    if anonymous:
        return gettext(
            locale,
            ":lock: Anonymous: the programme team sees who has answered, never what each person "
            "answered. Once sent, your answers can no longer be changed.",
        )
    return gettext(
        locale,
        ":bust_in_silhouette: Not anonymous: the programme team sees your answers with your "
        "name. You can change them until the survey closes.",
    )


def is_last(ctx: PageContext) -> bool:
    return next_page(ctx.survey, ctx.page + 1, ctx.answers) is None


def page_blocks(ctx: PageContext) -> list[Block]:
    """The page's header lines, then each visible question's inputs."""
    page = ctx.survey.pages[ctx.page]
    blocks: list[Block] = [ContextBlock(elements=[MarkdownTextObject(text=position_line(ctx))])]
    if ctx.page == next_page(ctx.survey, 0, ctx.answers):
        intro = ctx.survey.intro.get(ctx.locale).strip()
        if intro:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=escape(intro))))
        blocks.append(
            ContextBlock(
                elements=[MarkdownTextObject(text=privacy_line(ctx.anonymous, ctx.locale))]
            )
        )
    if page.title is not None:
        blocks.append(HeaderBlock(text=plain(short(page.title.get(ctx.locale), HEADER_CHARS))))
    dispatching = controllers(page)
    for question in visible_questions(page, ctx.answers):
        blocks += question_blocks(
            question, ctx.locale, ctx.answers, dispatch=question.id in dispatching
        )
    return blocks


def page_view(ctx: PageContext) -> dict:
    """The modal of page ``ctx.page``: "Next page", or "Send" on the last one."""
    submit = gettext(ctx.locale, "Send") if is_last(ctx) else gettext(ctx.locale, "Next page")
    return View(
        type="modal",
        callback_id=ids.SURVEY_VIEW,
        title=plain(short(ctx.survey.title.get(ctx.locale), TITLE_CHARS)),
        submit=plain(submit),
        close=plain(gettext(ctx.locale, "Close")),
        blocks=page_blocks(ctx),
        private_metadata=PageMeta(ctx.campaign_id, ctx.page).dump(),
    ).to_dict()


def change_view(survey: Survey, campaign_id: int, locale: str, closes: str) -> dict:
    """Someone who finished a named survey clicks "Answer" again: change the answers?"""
    text = gettext(
        locale,
        "You have already answered *%(survey)s*. You can change your answers until %(closes)s.",
        survey=escape(survey.title.get(locale)),
        closes=closes,
    )
    return View(
        type="modal",
        callback_id=ids.SURVEY_CHANGE_VIEW,
        title=plain(short(survey.title.get(locale), TITLE_CHARS)),
        submit=plain(gettext(locale, "Change my answers")),
        close=plain(gettext(locale, "Close")),
        blocks=[SectionBlock(text=MarkdownTextObject(text=text))],
        private_metadata=PageMeta(campaign_id, 0).dump(),
    ).to_dict()
