"""What a person gets when they answer a survey in Slack: the questionnaire's pages, the
"you have answered" offers, and the messages saying a survey is closed or already sent.

Every page is saved as it is submitted (``evaluation.campaigns.save_page``), so a closed
modal or a lost connection loses nothing: "Answer" opens the page the person is at.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks.survey_modal import PageContext, change_view, page_view, visible_questions
from bot.blocks.survey_values import PageMeta, StateValues, errors_by_block, input_blocks, read_page
from bot.bootstrap import Services
from bot.locales import locale_of
from bot.replies import text_message
from bulletins.dates import format_moment
from bulletins.db.models import Campaign, Person
from bulletins.i18n import gettext, normalize_locale
from bulletins.messages import Message
from bulletins.mrkdwn import escape
from bulletins.people import person_by_slack_id
from evaluation import campaigns as core
from evaluation.surveys.definitions import Survey

Shown = dict | Message


@dataclass
class Respondent:
    """A person in a campaign, within a transaction."""

    session: Session
    person: Person
    campaign: Campaign
    survey: Survey
    locale: str
    now: datetime

    def title(self) -> str:
        return escape(self.survey.title.get(self.locale))

    def page(self, index: int, answers: Mapping[str, Any]) -> dict:
        ctx = PageContext(
            self.survey, self.campaign.id, index, answers, self.locale, self.campaign.anonymous
        )
        return page_view(ctx)


@contextmanager
def respondent(
    services: Services, user_id: str, campaign_id: int, *, ask_slack: bool = True
) -> Iterator[Respondent]:
    """The person and the campaign, in a transaction; ``ask_slack``: the person's language
    may be asked of Slack (not when Slack waits for the answer of a form)."""
    with services.sessions.begin() as session:
        person = person_by_slack_id(session, user_id)
        if ask_slack:
            locale = locale_of(services, user_id, person)
        else:
            locale = normalize_locale(person.locale, services.settings.locale)
        campaign = core.campaign_by_id(session, campaign_id)
        survey = core.survey_of(campaign)
        yield Respondent(session, person, campaign, survey, locale, services.clock())


def when(services: Services, moment: datetime, locale: str) -> str:
    return format_moment(services.calendar.local(moment), locale)


def closed_text(services: Services, who: Respondent) -> str:
    """Why the survey cannot be answered now: not open yet, or closed since when."""
    campaign, locale = who.campaign, who.locale
    if who.now < campaign.opens_at:
        moment = when(services, campaign.opens_at, locale)
        return gettext(locale, "*%(survey)s* opens on %(when)s.", survey=who.title(), when=moment)
    return gettext(
        locale,
        "*%(survey)s* closed on %(when)s: answers can no longer be sent.",
        survey=who.title(),
        when=when(services, campaign.closes_at, locale),
    )


def sent_text(who: Respondent) -> str:
    return gettext(
        who.locale,
        "You have sent your answers to *%(survey)s*. Being anonymous, they are linked to you "
        "no more and can no longer be changed.",
        survey=who.title(),
    )


def resume_page(who: Respondent, progress: core.Progress) -> int:
    """The page to show: where the person is, or the last page when every page was saved
    but the survey not sent (the connection was lost in between)."""
    if progress.page < progress.pages:
        return progress.page
    shown = [i for i, page in enumerate(who.survey.pages) if visible_questions(page, {})]
    pages = [
        i for i, page in enumerate(who.survey.pages) if visible_questions(page, progress.answers)
    ]
    return (pages or shown or [0])[-1]


def answer_view(services: Services, user_id: str, campaign_id: int) -> Shown:
    """The invitation's button clicked: the page the person is at, or why there is none."""
    with respondent(services, user_id, campaign_id) as who:
        if not core.is_open(who.campaign, who.now):
            return text_message(closed_text(services, who))
        progress = core.progress(who.session, who.campaign, who.person, who.now)
        if progress.finished and progress.page >= progress.pages:
            if who.campaign.anonymous:
                return text_message(sent_text(who))
            closes = when(services, who.campaign.closes_at, who.locale)
            return change_view(who.survey, who.campaign.id, who.locale, closes)
        return who.page(resume_page(who, progress), progress.answers)


def change_started(services: Services, user_id: str, meta: PageMeta) -> dict:
    """A named response brought back to change it: its first page, with the answers."""
    with respondent(services, user_id, meta.campaign_id, ask_slack=False) as who:
        progress = core.reopen(who.session, who.campaign, who.person, who.now)
        return who.page(resume_page(who, progress), progress.answers)


def redrawn(services: Services, user_id: str, meta: PageMeta, values: StateValues) -> dict:
    """The page again, after an answer that shows or hides other questions."""
    with respondent(services, user_id, meta.campaign_id, ask_slack=False) as who:
        progress = core.progress(who.session, who.campaign, who.person, who.now)
        page = who.survey.pages[meta.page]
        known = dict(progress.answers)
        known |= read_page(page.questions, values, known)
        return who.page(meta.page, known)


@dataclass(frozen=True)
class Outcome:
    """What a submitted page leads to: the next ``view``, or ``errors`` in this one, or
    ``finished`` (the confirmation to send)."""

    view: dict | None = None
    errors: dict[str, str] | None = None
    finished: Message | None = None


def page_submitted(
    services: Services, user_id: str, meta: PageMeta, view: dict[str, Any]
) -> Outcome:
    """Save the page; the next one, or the survey sent after its last page. Problems with
    the answers come back as per-block messages (the transaction is then rolled back)."""
    try:
        return save_and_move_on(services, user_id, meta, view)
    except core.InvalidAnswers as error:
        locale = error_locale(services, user_id)
        return Outcome(errors=errors_by_block(error.problems, input_blocks(view), locale))


def error_locale(services: Services, user_id: str) -> str:
    with services.sessions() as session:
        person = person_by_slack_id(session, user_id)
        return normalize_locale(person.locale, services.settings.locale)


def save_and_move_on(
    services: Services, user_id: str, meta: PageMeta, view: dict[str, Any]
) -> Outcome:
    values = view["state"]["values"]
    with respondent(services, user_id, meta.campaign_id, ask_slack=False) as who:
        page = who.survey.pages[meta.page]
        before = core.progress(who.session, who.campaign, who.person, who.now)
        answers = read_page(page.questions, values, before.answers)
        known = dict(before.answers) | answers
        # The questions on the page: a grid's or a ranking's inputs are ``q.item.x``, ``q.rank.n``.
        shown = {block.split(".")[0] for block in input_blocks(view)}
        if any(q.id not in shown for q in visible_questions(page, known)):
            return Outcome(view=who.page(meta.page, known))  # a question appeared: show it
        saved = core.save_page(who.session, who.campaign, who.person, meta.page, answers, who.now)
        if saved.page < saved.pages:
            return Outcome(view=who.page(saved.page, saved.answers))
        core.finish(who.session, who.campaign, who.person, who.now)
        return Outcome(finished=thanks(services, who))


def thanks(services: Services, who: Respondent) -> Message:
    """The confirmation, with what can still be done with the answers."""
    first = gettext(who.locale, "Thank you! Your answers are recorded.")
    if who.campaign.anonymous:
        then = gettext(
            who.locale,
            "Your answers to *%(survey)s* are anonymous: they are linked to you no more and "
            "can no longer be changed.",
            survey=who.title(),
        )
    else:
        then = gettext(
            who.locale,
            "You can change your answers to *%(survey)s* until %(closes)s: click *Answer* "
            "in the invitation again.",
            survey=who.title(),
            closes=when(services, who.campaign.closes_at, who.locale),
        )
    return text_message(first, then)
