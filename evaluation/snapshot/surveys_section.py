"""The questionnaires' part of an evaluation snapshot: who was asked and who answered, and
the headline figures its questions declare (see :mod:`evaluation.surveys.headlines`).

Everything comes from three bulk queries whatever the number of campaigns and responses:
the campaigns, their participations counted by role, their responses. Figures are given by
group, one group per campaign and role (the end-of-cohort questionnaires ask one role each),
and for all groups together only when the survey file asks for it (``pool_roles``) and every
group is shown: a total beside a withheld group would give it away by difference.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bulletins.db.models import Campaign, Cohort, Participation, SurveyResponse
from evaluation.results.question_summary import ChoiceSummary, RankSummary, summarize
from evaluation.surveys.as_json import survey_from_json
from evaluation.surveys.definitions import NOT_APPLICABLE, ROLES, Question, Survey, Text, visible
from evaluation.surveys.headlines import counts

HIDE_TEXTS = "snapshot"  # summarize() leaves out "other" texts when given a reason


@dataclass(frozen=True)
class CampaignRate:
    """One end-of-cohort campaign and, per role, how many finished of those asked."""

    key: str
    survey: Survey
    opens_at: datetime
    closes_at: datetime
    closed: bool  # at the snapshot's moment
    rates: tuple[tuple[str, int, int], ...]  # (role, finished, invited)
    responses: int


@dataclass(frozen=True)
class Share:
    """How many of a group's answers count for a headline (``None`` figures: withheld)."""

    campaign: str | None  # None: all groups together
    role: str | None
    answered: int
    count: int | None
    withheld: bool = False

    @property
    def share(self) -> float | None:
        return None if self.withheld or not self.answered else (self.count or 0) / self.answered


@dataclass(frozen=True)
class Detail:
    """A tally (multiple choice) or a ranking of one group; ``summary`` None when withheld."""

    campaign: str
    role: str
    question: Question
    answered: int
    summary: ChoiceSummary | RankSummary | None


@dataclass(frozen=True)
class HeadlineFigures:
    """A headline's figures: a share per group counted, or a tally or ranking per group
    (``question``: the first question giving it, for its definition)."""

    label: Text
    question: Question
    shares: tuple[Share, ...] = ()
    details: tuple[Detail, ...] = ()


@dataclass(frozen=True)
class SurveyPart:
    campaigns: tuple[CampaignRate, ...]
    headlines: list[HeadlineFigures]


Group = tuple[Campaign, Survey, str, list[dict]]  # campaign, survey, role, answers


def survey_part(session: Session, cohort: Cohort, before: datetime, k: int) -> SurveyPart:
    """The end-of-cohort campaigns of ``cohort`` opened before ``before`` (campaigns that
    do not recur), their response rates, and the headline figures, groups under ``k``
    withheld."""
    campaigns = list(
        session.scalars(
            select(Campaign)
            .where(Campaign.cohort_id == cohort.id, Campaign.opens_at < before)
            .order_by(Campaign.opens_at, Campaign.key)
        )
    )
    campaigns = [c for c in campaigns if not c.definition.get("recurrence")]
    ids = [campaign.id for campaign in campaigns]
    rates = _rates(session, ids)
    responses = _responses(session, ids, before)
    surveys = {campaign.id: survey_from_json(campaign.definition) for campaign in campaigns}
    rows = tuple(
        CampaignRate(
            key=c.key,
            survey=surveys[c.id],
            opens_at=c.opens_at,
            closes_at=c.closes_at,
            closed=c.closes_at <= before,
            rates=tuple(rates.get(c.id, ())),
            responses=sum(len(answers) for answers in responses.get(c.id, {}).values()),
        )
        for c in campaigns
    )
    groups = [
        (c, surveys[c.id], role, answers)
        for c in campaigns
        for role, answers in sorted(responses.get(c.id, {}).items(), key=_role_order)
    ]
    return SurveyPart(rows, headlines(groups, k))


def _role_order(item: tuple[str, object]) -> tuple[int, str]:
    role = item[0]
    return (ROLES.index(role) if role in ROLES else len(ROLES), role)


def _rates(session: Session, ids: list[int]) -> dict[int, list[tuple[str, int, int]]]:
    """Per campaign, (role, finished, invited), roles in the order fellow, mentor, staff."""
    if not ids:
        return {}
    query = (
        select(Participation.campaign_id, Participation.role, Participation.finished, func.count())
        .where(Participation.campaign_id.in_(ids))
        .group_by(Participation.campaign_id, Participation.role, Participation.finished)
    )
    counts: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for campaign_id, role, finished, count in session.execute(query):
        counts[campaign_id][role][1] += count
        counts[campaign_id][role][0] += count if finished else 0
    return {
        campaign_id: [
            (role, done, invited)
            for role, (done, invited) in sorted(by_role.items(), key=_role_order)
        ]
        for campaign_id, by_role in counts.items()
    }


def _responses(
    session: Session, ids: list[int], before: datetime
) -> dict[int, dict[str, list[dict]]]:
    """Per campaign and role, the answers, in the order of the responses' (random) ids:
    those released (see ``evaluation.campaigns.anonymity``), and all of a campaign closed
    ``before``."""
    found: dict[int, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    if not ids:
        return found
    query = (
        select(SurveyResponse.campaign_id, SurveyResponse.role, SurveyResponse.answers)
        .join(Campaign, Campaign.id == SurveyResponse.campaign_id)
        .where(
            SurveyResponse.campaign_id.in_(ids),
            or_(SurveyResponse.released.is_(True), Campaign.closes_at <= before),
        )
        .order_by(SurveyResponse.id)
    )
    for campaign_id, role, answers in session.execute(query):
        found[campaign_id][role].append(answers or {})
    return found


def answered(question: Question, responses: list[dict]) -> list[object]:
    """The answers given to ``question`` by those who were shown it ("na" left out)."""
    return [
        answers[question.id]
        for answers in responses
        if visible(question, answers)
        and answers.get(question.id) not in (None, "", [], {}, NOT_APPLICABLE)
    ]


def headlines(groups: list[Group], k: int) -> list[HeadlineFigures]:
    """Every headline the surveys declare, in the order they first come; questions giving
    the same wording (from the surveys of different roles) make one headline."""
    found: dict[Text, list[tuple[Group, Question]]] = {}
    for group in groups:
        for question in group[1].questions:
            if question.headline is not None:
                found.setdefault(question.headline.label, []).append((group, question))
    return [_figures(label, asked, k) for label, asked in found.items()]


def _figures(label: Text, asked: list[tuple[Group, Question]], k: int) -> HeadlineFigures:
    shares, details = [], []
    for (campaign, _survey, role, responses), question in asked:
        headline = question.headline
        assert headline is not None
        if question.type == "rank" or headline.each:
            given = [a for a in responses if visible(question, a) and a.get(question.id)]
            summary = summarize(question, given, k, HIDE_TEXTS) if len(given) >= k else None
            details.append(Detail(campaign.key, role, question, len(given), summary))  # type: ignore[arg-type]
            continue
        values = answered(question, responses)
        count = sum(1 for value in values if counts(question, value))
        share = Share(campaign.key, role, len(values), count, len(values) < k)
        shares.append(_withheld(share) if share.withheld else share)
    pooled = all(question.headline and question.headline.pool_roles for _, question in asked)
    if pooled and len(shares) > 1:
        whole = Share(
            None, None, sum(s.answered for s in shares), sum(s.count or 0 for s in shares)
        )
        shares.append(whole if not any(s.withheld for s in shares) else _withheld(whole))
    return HeadlineFigures(label, asked[0][1], tuple(shares), tuple(details))


def _withheld(share: Share) -> Share:
    return Share(share.campaign, share.role, share.answered, None, True)


def tallies_by_count(summary: ChoiceSummary) -> list:
    """A multiple choice's tallies, the most chosen first (ties in the survey's order)."""
    ranked = sorted(enumerate(summary.tallies), key=lambda pair: (-pair[1].count, pair[0]))
    return [tally for _, tally in ranked]
