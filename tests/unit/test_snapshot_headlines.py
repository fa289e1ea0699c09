"""The headline figures of a snapshot, from the answers of each group: what the file counts,
per role, withheld under k, and all roles together only when the file asks for it."""

from __future__ import annotations

from bulletins.db.models import Campaign
from evaluation.snapshot.surveys_section import headlines
from tests.support.headlines import THREE_CASES, survey_file

POOLED = THREE_CASES + "pool_roles = true\n"  # the digest's headline, the file's last table


def groups(survey, fellows: list[dict], mentors: list[dict]) -> list:
    campaign = Campaign(key="end-of-cohort:EIG 3")
    return [(campaign, survey, "fellow", fellows), (campaign, survey, "mentor", mentors)]


def answers(learned: str, expectations: int | str, digest: str) -> dict:
    return {"learned": learned, "expectations": expectations, "digest": digest}


FELLOWS = [
    answers("a_lot", 5, "every_week"),
    answers("a_little", 4, "rarely"),
    answers("unusually_little", "na", "monthly"),
    answers("not_at_all", 5, "never"),
]
MENTORS = [answers("a_lot", 4, "most_weeks")] * 3


def by_label(found) -> dict:
    return {h.label.en: [(s.role, s.answered, s.count) for s in h.shares] for h in found}


def test_each_headline_counts_what_its_file_says_per_role_and_never_pools_by_default():
    found = by_label(headlines(groups(survey_file(), FELLOWS, MENTORS), k=3))
    assert found == {
        "learned skills outside their field": [("fellow", 4, 2), ("mentor", 3, 3)],
        "expectations exceeded": [("fellow", 3, 2), ("mentor", 3, 0)],  # "na" left out
        "read the digest at least monthly": [("fellow", 4, 2), ("mentor", 3, 3)],
    }


def test_roles_are_pooled_only_when_the_file_says_so_and_every_role_is_shown():
    pooled = headlines(groups(survey_file(POOLED), FELLOWS, MENTORS), k=3)
    digest = by_label(pooled)["read the digest at least monthly"]
    assert digest == [("fellow", 4, 2), ("mentor", 3, 3), (None, 7, 5)]
    assert by_label(pooled)["expectations exceeded"] == [("fellow", 3, 2), ("mentor", 3, 0)]
    withheld = headlines(groups(survey_file(POOLED), FELLOWS, MENTORS[:2]), k=3)
    digest = next(h for h in withheld if h.label.en == "read the digest at least monthly")
    assert [(s.role, s.count, s.withheld) for s in digest.shares] == [
        ("fellow", 2, False),
        ("mentor", None, True),
        (None, None, True),  # would give the mentors' figure away by difference
    ]
