"""A questionnaire whose file declares its headline figures, answered through Slack by
fellows and mentors; the half-yearly snapshot in the staff channel, and the report in English,
give each headline as worded and counted in the file, per role."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot.standin.workspace import SlackWorkspace
from bulletins.config import settings_from_dict
from bulletins.db.models import Cohort, Membership, Person, SurveyResponse
from evaluation.snapshot.compose import build_snapshot
from evaluation.snapshot.render import render_markdown
from tests.support.cycle import block_texts, tick
from tests.support.headlines import survey_file
from tests.support.programme import load_eig3, paris
from tests.support.surveys import INPUT, launch, open_page

STAFF = "C0STAFF"
K = 3
FELLOWS = [  # two of three learned outside their field, one exceeded, three read monthly
    {"learned": "a_lot", "expectations": "5", "digest": "every_week"},
    {"learned": "a_little", "expectations": "4", "digest": "most_weeks"},
    {"learned": "not_at_all", "expectations": "4", "digest": "monthly"},
]
MENTORS = [  # fewer than K: withheld
    {"learned": "a_lot", "expectations": "5", "digest": "never"},
    {"learned": "a_lot", "expectations": "5", "digest": "never"},
]
SPACE = "[\u00a0\u202f]"  # the no-break space Babel writes before % in French


@pytest.fixture
def workspace(engine) -> Iterator[SlackWorkspace]:
    settings = settings_from_dict(
        {
            "channels": {"digest": "C0DIGEST", "announce": "C0ANNOUNCE", "staff": STAFF},
            "surveys": {"anonymity_k": K},
        }
    )
    load_eig3(engine)
    with SlackWorkspace(settings, engine, now=paris(2026, 3, 2, 10, 0)) as workspace:
        workspace.register_people()
        yield workspace


def people(workspace: SlackWorkspace, role: str) -> list[Person]:
    with workspace.services.sessions() as session:
        query = (
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.role == role)
            .order_by(Person.id)
        )
        return list(session.scalars(query).unique())


def answer(workspace: SlackWorkspace, person: Person, campaign_id: int, given: dict) -> None:
    user = person.slack_user_id
    page = open_page(workspace, user, campaign_id)
    values = {question: {INPUT: value} for question, value in given.items()}
    assert workspace.driver.submit_view(user, page, values).text == ""
    workspace.wait_for(lambda: "Merci" in str(workspace.standin.posted(user)[-1]))


def test_each_headline_is_worded_and_counted_as_the_file_asks(workspace) -> None:
    campaign_id = launch(workspace, survey_file())
    for role, answers in (("fellow", FELLOWS), ("mentor", MENTORS)):
        for person, given in zip(people(workspace, role), answers, strict=False):
            answer(workspace, person, campaign_id, given)

    # 1 July 2026, a Wednesday: the half-yearly snapshot goes to the staff channel.
    tick(workspace, paris(2026, 7, 1, 11, 0))
    (post,) = [m for m in workspace.standin.messages(STAFF) if "Bilan" in str(m)]
    figures = "\n".join(block_texts(post))
    expected = {
        "ont appris des compétences hors de leur domaine": f"2 sur 3 \\(66,7{SPACE}%\\)",
        "attentes dépassées": f"1 sur 3 \\(33,3{SPACE}%\\)",
        "lisaient le récapitulatif au moins une fois par mois": f"3 sur 3 \\(100{SPACE}%\\)",
    }
    for headline, figure in expected.items():
        line = f"\\*{headline}\\*: Les EIG {figure}; Les mentors non montré"
        assert re.search(line, figures), (headline, figures)
    assert "satisfaites ou dépassées" not in figures and "Tous les répondants" not in figures
    reports = {
        f.filename.rsplit(".", 1)[1]: f
        for f in workspace.standin.files.values()
        if f.filename.startswith("snapshot")
    }
    assert sorted(reports) == ["html", "pdf"]
    pdf = reports["pdf"]
    (thread,) = [m["ts"] for m in workspace.standin.posted(STAFF) if "Bilan" in str(m)]
    assert pdf.completed and pdf.channels == [STAFF] and pdf.thread_ts == thread
    assert pdf.content.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "attentes dépassées" in text and "Défi par défi" in text
    assert "Les EIG 1 sur 3 (33,3 %)" in text  # spaces made plain
    html = reports["html"].content.decode("utf-8")
    for headline, figure in expected.items():
        section = html.split(f"<h3>{headline}</h3>")[1].split("<h3>")[0]
        assert re.search(f'<th scope="row">Les EIG</th><td>{figure}</td>', section), headline
        assert "non montré\u00a0: moins de 3 réponses" in section

    with workspace.services.sessions() as session:
        cohort = session.scalars(select(Cohort)).one()
        services = workspace.services
        english = build_snapshot(
            session, services.calendar, services.settings, cohort, paris(2026, 6, 30, 0).date(),
            "en",
        )  # fmt: skip
    markdown = render_markdown(english)
    assert (
        "- **learned skills outside their field**: Fellows 2 of 3 (66.7%); Mentors withheld"
        in markdown
    )
    assert "- **expectations exceeded**: Fellows 1 of 3 (33.3%)" in markdown
    assert "- **read the digest at least monthly**: Fellows 3 of 3 (100%)" in markdown
    assert (
        "Counted: the answers 5 on a scale from 1 (Very disappointed) to 5 (Exceeded)." in markdown
    )
    assert "Counted: “Yes, a lot”, “Yes, a little”." in markdown


RANKED_AND_PLAIN = """
id = "formats"
anonymous = false
audience = { roles = ["mentor"] }
window = { days = 7 }
title = { fr = "Les formats", en = "The formats" }
intro = { fr = "Deux questions.", en = "Two questions." }

[[pages]]

[[pages.questions]]
id = "formats"
type = "rank"
pick = 2
label = { fr = "Classez vos deux formats préférés", en = "Rank your two favourite formats" }
items = [
  { id = "coaching", label = { fr = "Le coaching", en = "Coaching" } },
  { id = "peer_days", label = { fr = "Les journées entre pairs", en = "Peer days" } },
  { id = "other", other = true, label = { fr = "Autre, précisez", en = "Other, please specify" } },
]

[[pages.questions]]
id = "in_use"
type = "yes_no"
dont_know = false
label = { fr = "L'outil est-il utilisé\u202f?", en = "Is the tool in use?" }
"""


def test_a_ranking_with_other_and_a_yes_no_without_dont_know_in_the_modal(workspace) -> None:
    campaign_id = launch(workspace, survey_file(RANKED_AND_PLAIN))
    user = people(workspace, "mentor")[0].slack_user_id
    page = open_page(workspace, user, campaign_id)
    used = next(b for b in page["blocks"] if b.get("block_id") == "in_use")
    assert [o["value"] for o in used["element"]["options"]] == ["yes", "no"]
    values = {
        "formats.rank.1": {INPUT: "other"},
        "formats.rank.2": {INPUT: "coaching"},
        "in_use": {INPUT: "no"},
    }
    refused = workspace.driver.submit_view(user, page, values).json()
    assert refused["response_action"] == "errors" and "formats.other" in refused["errors"]
    values["formats.other"] = {INPUT: "Le mentorat inversé"}
    assert workspace.driver.submit_view(user, page, values).text == ""
    workspace.wait_for(lambda: "Merci" in str(workspace.standin.posted(user)[-1]))
    with workspace.services.sessions() as session:
        stored = session.scalars(select(SurveyResponse)).one()
        assert stored.answers == {
            "formats": ["other", "coaching"],
            "formats.other": "Le mentorat inversé",
            "in_use": "no",
        }
