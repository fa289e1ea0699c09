"""The results of a campaign: response rates by role, and a summary of each question for
the whole campaign and, when its audience has several roles, for each role.

Anonymity: a group (the campaign, a role, a question's answers) with fewer than ``k``
answers is withheld (``withheld`` says why). A role with a few answers also withholds the
other roles, or they would give it away by difference with the whole campaign; the same
holds question by question. Free text of an anonymous campaign is only shown for the whole
campaign, and sorted, so that its order reveals nothing. Counting is in Python over two
bulk queries (participations, responses): a campaign has tens of responses, not millions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bulletins.db.models import Campaign, Participation, SurveyResponse
from bulletins.errors import BulletinsError
from evaluation.results.question_summary import Summary, summarize
from evaluation.surveys.as_json import survey_from_json
from evaluation.surveys.definitions import ROLES, Question, Survey, visible

FEW = "few"  # fewer than k answers
COMPLEMENT = "complement"  # would reveal a smaller group by difference with the whole
TEXT_PER_ROLE = "text_per_role"  # free text of an anonymous campaign, by role
TEXT_FEW = "text_few"  # free text of an anonymous campaign with fewer than k responses


@dataclass(frozen=True)
class Rate:
    """How many people of a role finished, of those invited."""

    role: str
    finished: int
    invited: int

    @property
    def share(self) -> float | None:
        return self.finished / self.invited if self.invited else None


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: int
    summary: Summary | None  # None when withheld
    withheld: str | None = None


@dataclass(frozen=True)
class GroupResults:
    """The whole campaign (``role`` None) or one role."""

    role: str | None
    respondents: int
    questions: tuple[QuestionResult, ...]
    withheld: str | None = None


@dataclass(frozen=True)
class CampaignResults:
    key: str
    survey: Survey
    anonymous: bool
    k: int
    rates: tuple[Rate, ...]
    overall: GroupResults
    by_role: tuple[GroupResults, ...]  # empty when the audience has a single role

    @property
    def respondents(self) -> int:
        return self.overall.respondents


def campaign_results(session: Session, campaign: Campaign, k: int) -> CampaignResults:
    """The results of ``campaign``, every group under ``k`` answers withheld."""
    survey = survey_from_json(campaign.definition)
    rows = session.execute(
        select(SurveyResponse.role, SurveyResponse.answers).where(
            SurveyResponse.campaign_id == campaign.id, SurveyResponse.released.is_(True)
        )
    ).all()
    responses = [(role, answers or {}) for role, answers in rows]
    text_rule = _text_rule(campaign, None, len(responses), k)
    overall = _group(survey, None, [a for _, a in responses], k, text_rule)
    return CampaignResults(
        key=campaign.key,
        survey=survey,
        anonymous=campaign.anonymous,
        k=k,
        rates=response_rates(session, campaign),
        overall=_withhold_group(overall, k),
        by_role=_by_role(survey, campaign, responses, k),
    )


def response_rates(session: Session, campaign: Campaign) -> tuple[Rate, ...]:
    """Finished and invited people per role, in the order fellow, mentor, staff."""
    counts = session.execute(
        select(Participation.role, Participation.finished, func.count(Participation.id))
        .where(Participation.campaign_id == campaign.id)
        .group_by(Participation.role, Participation.finished)
    ).all()
    invited: Counter[str] = Counter()
    finished: Counter[str] = Counter()
    for role, done, count in counts:
        invited[role] += count
        finished[role] += count if done else 0
    order = sorted(invited, key=lambda r: (ROLES.index(r) if r in ROLES else len(ROLES), r))
    return tuple(Rate(role, finished[role], invited[role]) for role in order)


def answers_to(question: Question, responses: Sequence[dict]) -> list[dict]:
    """The responses that were shown ``question`` and answered it."""
    return [
        answers
        for answers in responses
        if visible(question, answers) and answers.get(question.id) not in (None, "", [], {})
    ]


def _text_rule(campaign: Campaign, role: str | None, respondents: int, k: int) -> str | None:
    """Why free text is hidden in this group, if it is; the overall count is checked later."""
    if campaign.anonymous and role is not None:
        return TEXT_PER_ROLE
    if campaign.anonymous and role is None and 0 < respondents < k:
        return TEXT_FEW
    return None


def _group(
    survey: Survey, role: str | None, responses: list[dict], k: int, text_rule: str | None
) -> GroupResults:
    questions = []
    for question in survey.questions:
        answered = answers_to(question, responses)
        if len(answered) < k:
            questions.append(QuestionResult(question, len(answered), None, FEW))
        else:
            summary = summarize(question, answered, k, text_rule)
            questions.append(QuestionResult(question, len(answered), summary))
    return GroupResults(role, len(responses), tuple(questions))


def _withhold_group(group: GroupResults, k: int, reason: str = FEW) -> GroupResults:
    """``group`` itself if it has at least ``k`` respondents (and no ``reason`` to hide it
    otherwise), else the group without any figure."""
    if group.respondents >= k and reason == FEW:
        return group
    hidden = tuple(QuestionResult(q.question, 0, None, reason) for q in group.questions)
    return GroupResults(group.role, group.respondents, hidden, reason)


def _by_role(
    survey: Survey, campaign: Campaign, responses: list[tuple[str, dict]], k: int
) -> tuple[GroupResults, ...]:
    if len(survey.audience.roles) < 2:
        return ()
    groups = []
    for role in survey.audience.roles:
        mine = [answers for who, answers in responses if who == role]
        groups.append(_group(survey, role, mine, k, _text_rule(campaign, role, len(mine), k)))
    if any(0 < g.respondents < k for g in groups):
        return tuple(
            _withhold_group(g, k, FEW if g.respondents < k else COMPLEMENT) for g in groups
        )
    return tuple(_withhold_group(g, k) for g in _withhold_complements(groups, k))


def _withhold_complements(groups: list[GroupResults], k: int) -> list[GroupResults]:
    """Withhold, in every role, a question that a role answered fewer than ``k`` times."""
    leaky = {q.question.id for g in groups for q in g.questions if 0 < q.answered < k}
    return [
        GroupResults(
            g.role,
            g.respondents,
            tuple(
                QuestionResult(q.question, q.answered, None, q.withheld or COMPLEMENT)
                if q.question.id in leaky
                else q
                for q in g.questions
            ),
            g.withheld,
        )
        for g in groups
    ]


class UnknownCampaign(BulletinsError):
    """No campaign matches the survey id or campaign key asked for."""


def find_campaign(session: Session, survey_id: str | None, key: str | None) -> Campaign:
    """The campaign ``key`` (of ``survey_id``, when both are given), else the latest
    campaign of ``survey_id``; an unknown one is an error listing the known ones."""
    query = select(Campaign).order_by(Campaign.launched_at.desc(), Campaign.id.desc())
    if key:
        query = query.where(Campaign.key == key)
    if survey_id:
        query = query.where(Campaign.survey_id == survey_id)
    found = session.scalars(query.limit(1)).first()
    if found is not None:
        return found
    known = ", ".join(session.scalars(select(Campaign.key).order_by(Campaign.key))) or "none"
    asked = f"campaign {key!r}" if key else f"survey {survey_id!r}"
    if key and survey_id:
        asked += f" of survey {survey_id!r}"
    raise UnknownCampaign(f"no {asked} has been launched; known campaigns: {known}")
