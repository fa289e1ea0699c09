"""Answering a campaign: page by page into a draft, then finishing.

A draft holds a person's answers while in progress (sealed, for an anonymous survey: see
:mod:`evaluation.campaigns.sealing`). Finishing an anonymous survey deletes the draft, marks the
participation finished and adds the answers, detached, to the campaign's responses (see
:mod:`evaluation.campaigns.anonymity`), all in the caller's transaction: from then on nothing links
them to the person, so they can no longer be changed. A named response keeps its person and
can be changed (reopened) until the campaign closes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins.db.models import Campaign, Draft, Participation, Person, SurveyResponse
from bulletins.errors import BulletinsError
from evaluation.campaigns.access import (
    AlreadySent,
    InvalidAnswers,
    Progress,
    draft_of,
    is_open,
    participation_of,
    require_open,
    survey_of,
)
from evaluation.campaigns.anonymity import add_anonymous, lock_campaign, new_response_id
from evaluation.campaigns.answer_checks import kept_answers, validate_all, validate_page
from evaluation.campaigns.invitations import pulse_answer
from evaluation.campaigns.sealing import read_draft, write_draft
from evaluation.surveys.definitions import Survey, visible


def next_page(survey: Survey, answers: dict, start: int) -> int:
    """The first page from ``start`` with a question to show; ``len(pages)`` when none."""
    for index in range(start, len(survey.pages)):
        if any(visible(q, answers) for q in survey.pages[index].questions):
            return index
    return len(survey.pages)


def pruned(survey: Survey, answers: dict) -> dict:
    """``answers`` without those to questions the other answers now hide, nor unknown ones."""
    kept: dict = {}
    for question in survey.questions:
        if visible(question, kept):
            kept |= {k: v for k, v in answers.items() if _owner(k) == question.id}
    return kept


def _owner(key: str) -> str:
    return key.split(".", 1)[0]  # "<id>.other" belongs to question <id>


def progress(
    session: Session, campaign: Campaign, person: Person, now: datetime | None = None
) -> Progress:
    """Where ``person`` stands in ``campaign`` (``can_change`` also needs it open at ``now``)."""
    participation = participation_of(session, campaign, person)
    survey = survey_of(campaign)
    draft = _draft(session, campaign, person)
    still_open = now is None or is_open(campaign, now)
    if draft is not None:
        answers, page = draft
        return Progress(page, len(survey.pages), answers, participation.finished, still_open)
    if not participation.finished:
        return Progress(next_page(survey, {}, 0), len(survey.pages), {}, False, still_open)
    answers = {} if campaign.anonymous else _named_answers(session, campaign, person)
    can_change = still_open and not campaign.anonymous
    return Progress(len(survey.pages), len(survey.pages), answers, True, can_change)


def save_page(
    session: Session,
    campaign: Campaign,
    person: Person,
    page_index: int,
    answers: dict,
    now: datetime,
) -> Progress:
    """Store one page's answers in the draft and move on to the next page with a question
    to show. Raises InvalidAnswers with each question's problem, nothing stored."""
    require_open(campaign, now)
    participation = participation_of(session, campaign, person)
    survey = survey_of(campaign)
    if not 0 <= page_index < len(survey.pages):
        raise BulletinsError(f"survey {campaign.key} has no page {page_index + 1}")
    page_ids = {q.id for q in survey.pages[page_index].questions}
    merged = {
        k: v for k, v in _answers_so_far(session, campaign, participation).items()
        if _owner(k) not in page_ids
    } | {k: v for k, v in answers.items() if _owner(k) in page_ids}  # fmt: skip
    problems = validate_page(survey, page_index, merged)
    if problems:
        raise InvalidAnswers(problems)
    merged = pruned(survey, merged)
    _store_draft(session, campaign, person, merged, next_page(survey, merged, page_index + 1), now)
    return progress(session, campaign, person, now)


def finish(session: Session, campaign: Campaign, person: Person, now: datetime) -> Progress:
    """Send the answers: every visible required question must be answered."""
    require_open(campaign, now)
    lock_campaign(session, campaign.id)
    participation = participation_of(session, campaign, person)
    survey = survey_of(campaign)
    answers = _answers_so_far(session, campaign, participation)
    problems = validate_all(survey, answers)
    if problems:
        raise InvalidAnswers(problems)
    answers = kept_answers(survey, answers)
    draft = draft_of(session, campaign, person)
    if draft is not None:
        session.delete(draft)
    participation.finished = True
    if campaign.anonymous:
        add_anonymous(session, campaign.id, participation.role, answers, campaign.batch_size)
    else:
        _store_named(session, campaign, participation, answers)
    session.flush()
    return progress(session, campaign, person, now)


def reopen(session: Session, campaign: Campaign, person: Person, now: datetime) -> Progress:
    """Bring a sent named response back into a draft, from its first page, to change it."""
    require_open(campaign, now)
    participation = participation_of(session, campaign, person)
    if participation.finished and draft_of(session, campaign, person) is None:
        answers = _answers_so_far(session, campaign, participation)  # AlreadySent if anonymous
        _store_draft(session, campaign, person, answers, 0, now)
    return progress(session, campaign, person, now)


def answer_pulse(
    session: Session,
    campaign: Campaign,
    person: Person,
    question_id: str,
    value: object,
    now: datetime,
) -> Progress:
    """One click on a pulse's button: store that answer; once every question shown has an
    answer, send them. A click before sending may change an answer; after sending, only a
    named one can (anonymous answers are detached by then)."""
    require_open(campaign, now)
    participation = participation_of(session, campaign, person)
    survey = survey_of(campaign)
    try:
        question = survey.question(question_id)
    except KeyError:
        raise BulletinsError(f"survey {campaign.key} has no question {question_id!r}") from None
    answer = pulse_answer(question, value) if isinstance(value, str) else value
    answers = _answers_so_far(session, campaign, participation) | {question_id: answer}
    page_index = next(i for i, page in enumerate(survey.pages) if question in page.questions)
    problems = {  # only this question's: the others of the page may still be unanswered
        key: problem
        for key, problem in validate_page(survey, page_index, answers).items()
        if _owner(key) == question_id
    }
    if problems:
        raise InvalidAnswers(problems)
    answers = pruned(survey, answers)
    done = all(q.id in answers for q in survey.questions if visible(q, answers))
    _store_draft(session, campaign, person, answers, next_page(survey, answers, 0), now)
    if done:
        return finish(session, campaign, person, now)
    return progress(session, campaign, person, now)


def _answers_so_far(session: Session, campaign: Campaign, participation: Participation) -> dict:
    """The draft's answers; a sent named response's; none yet. Sent anonymous: AlreadySent."""
    draft = _draft(session, campaign, participation.person)
    if draft is not None:
        return draft[0]
    if not participation.finished:
        return {}
    if campaign.anonymous:
        raise AlreadySent(
            f"anonymous answers to survey {campaign.key} were sent and can no longer change"
        )
    return _named_answers(session, campaign, participation.person)


def _draft(session: Session, campaign: Campaign, person: Person) -> tuple[dict, int] | None:
    """The person's draft: its answers and next page. None when there is none, or when it
    cannot be unsealed (then the next page saved replaces it)."""
    draft = draft_of(session, campaign, person)
    return None if draft is None else read_draft(session, campaign, draft)


def _store_draft(
    session: Session, campaign: Campaign, person: Person, answers: dict, page: int, now: datetime
) -> Draft:
    """Keep ``answers`` and the next ``page`` in the person's draft (sealed, for an anonymous
    campaign: see :mod:`evaluation.campaigns.sealing`)."""
    draft = draft_of(session, campaign, person)
    if draft is None:
        draft = Draft(campaign_id=campaign.id, person_id=person.id, answers={}, page=0)
        session.add(draft)
    write_draft(session, campaign, draft, answers, page)
    draft.updated_at = now
    session.flush()
    return draft


def _named_response(session: Session, campaign: Campaign, person_id: int) -> SurveyResponse | None:
    return session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.campaign_id == campaign.id, SurveyResponse.person_id == person_id
        )
    )


def _named_answers(session: Session, campaign: Campaign, person: Person) -> dict:
    response = _named_response(session, campaign, person.id)
    return dict(response.answers) if response is not None else {}


def _store_named(
    session: Session, campaign: Campaign, participation: Participation, answers: dict
) -> None:
    response = _named_response(session, campaign, participation.person_id)
    if response is None:
        response = SurveyResponse(
            id=new_response_id(), campaign_id=campaign.id, person_id=participation.person_id
        )
        session.add(response)
    response.role, response.answers = participation.role, answers
