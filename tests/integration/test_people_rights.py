"""A person's data: the copy they may ask for, and its erasure, on the core."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text

from bulletins.db import make_session_factory
from bulletins.db.models import (
    Bulletin,
    Campaign,
    Draft,
    HelpOffer,
    OutboxMessage,
    Participation,
    Person,
    ReminderSnooze,
    SurveyResponse,
    TeamFacts,
)
from bulletins.messages import Message
from bulletins.names import shown_name
from bulletins.outbox import enqueue
from bulletins.rights.erasure import clear_old_copies, erase_person
from bulletins.rights.export import person_data, to_json
from tests.support.cycle_world import make_world, paris

NOW = paris(2026, 3, 9, 10, 0)


def _campaign(session, key: str, anonymous: bool) -> Campaign:
    campaign = Campaign(
        key=key, survey_id=key, anonymous=anonymous, definition={}, opens_at=NOW,
        closes_at=NOW + timedelta(days=7), launched_at=NOW,
    )  # fmt: skip
    session.add(campaign)
    session.flush()
    return campaign


def _programme(session):
    """Alpha's first fellow wrote a bulletin, answered a named and an anonymous survey, has
    a draft, got a DM; Beta's bulletin and facts sheet name them; the digest names them."""
    world = make_world(session, "Alpha", "Beta")
    alice = world.fellows["Alpha"][0]
    world.file("Alpha")
    world.file("Beta", ups_and_downs=f"Merci {alice.name} !")
    session.add(TeamFacts(team=world.teams["Beta"], recorded_at=NOW,
                          note=f"Formation donnée par {alice.name}"))  # fmt: skip
    named, anonymous = _campaign(session, "named", False), _campaign(session, "anon", True)
    for campaign in (named, anonymous):
        session.add(Participation(campaign=campaign, person=alice, role="fellow", finished=True))
    session.add(SurveyResponse(id="r1", campaign_id=named.id, role="fellow",
                               answers={"q": "nommée"}, person_id=alice.id))  # fmt: skip
    session.add(SurveyResponse(id="r2", campaign_id=anonymous.id, role="fellow",
                               answers={"q": "anonyme"}))  # fmt: skip
    later = _campaign(session, "later", False)
    session.add(Participation(campaign=later, person=alice, role="fellow"))
    session.add(Draft(campaign_id=later.id, person_id=alice.id, answers={"q": "en cours"},
                      updated_at=NOW))  # fmt: skip
    session.add(ReminderSnooze(person=alice, team=world.teams["Alpha"], week="2026-W10",
                               until=NOW, at=NOW))  # fmt: skip
    enqueue(session, key="dm", kind="confirmation", channel=alice.slack_user_id,
            message=Message(text="Votre bulletin est publié"), now=NOW)  # fmt: skip
    enqueue(session, key="digest", kind="digest", channel="C0DIGEST",
            message=Message(text=f"_Publié par {alice.name}_"), now=NOW)  # fmt: skip
    session.flush()
    return world, alice


def test_the_copy_holds_their_named_answers_and_never_anonymous_ones(session):
    _world, alice = _programme(session)

    data = person_data(session, alice)

    assert data["person"]["name"] == alice.name
    assert [(m["team"], m["role"]) for m in data["memberships"]] == [("Alpha", "fellow")]
    assert [b["priority"] for b in data["bulletins"]] == ["Alpha priority"]
    surveys = {s["campaign"]: s for s in data["surveys"]}
    assert surveys["named"]["answers"] == [{"q": "nommée"}]
    assert "answers" not in surveys["anon"]
    assert surveys["later"]["answers_in_progress"] == {"q": "en cours"}
    assert "anonyme" not in to_json(data)
    assert [m["text"] for m in data["messages_to_them"]] == ["Votre bulletin est publié"]
    assert [(r["team"], r["week"]) for r in data["reminders_snoozed"]] == [("Alpha", "2026-W10")]


def test_erasure_keeps_the_bulletins_by_a_former_member_and_a_second_run_finds_nothing(session):
    world, alice = _programme(session)
    name, slack_id = alice.name, alice.slack_user_id

    erasure = erase_person(session, slack_id, NOW, "en")

    assert erasure.counts == {
        "direct messages to them": 1,
        "messages naming them": 1,
        "mentions in team texts": 2,
        "survey drafts": 1,
        "named survey answers": 1,
        "team memberships": 1,
        "programme team places": 0,
        "absences": 0,
        "reminders snoozed": 1,
        "name, email and Slack id": 1,
    }
    assert erasure.bulletins_kept == 1
    session.expire_all()
    assert session.scalar(select(Person).where(Person.name == name)) is None
    (digest,) = session.scalars(select(OutboxMessage))
    assert digest.key == "digest" and digest.payload["text"] == "_Publié par a former member_"
    beta = world.teams["Beta"].id
    bulletins = {b.team_id == beta: b for b in session.scalars(select(Bulletin))}
    beta_bulletin, alpha_bulletin = bulletins[True], bulletins[False]
    assert beta_bulletin.ups_and_downs == "Merci a former member !"
    assert session.scalars(select(TeamFacts.note)).one() == "Formation donnée par a former member"
    (kept,) = session.scalars(select(Person).where(Person.erased_at.is_not(None)))
    assert (kept.name, kept.email, kept.slack_user_id) == ("", None, f"erased-{kept.id}")
    assert kept.memberships == []
    assert shown_name(kept, "fr") == "un ancien membre"
    assert shown_name(kept, "en") == "a former member"
    assert alpha_bulletin.author_id == kept.id and alpha_bulletin.priority == "Alpha priority"
    remaining = session.scalars(select(SurveyResponse.id)).all()
    assert remaining == ["r2"]  # the anonymous answer: not theirs, nothing links it to them
    assert len(session.scalars(select(Participation)).all()) == 3  # response rates stand

    again = erase_person(session, slack_id, NOW, "en")
    assert again.erased == 0 and again.summary() == f"Nothing left to erase for {slack_id}."


def test_after_erasure_no_old_copy_of_their_rows_is_left_behind(engine):
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        _world, alice = _programme(session)
        name, slack_id = alice.name, alice.slack_user_id
    postgresql = engine.dialect.name == "postgresql"
    files_before = _people_file(engine) if postgresql else None
    with sessions.begin() as session:
        erase_person(session, slack_id, NOW, "fr")

    clear_old_copies(engine)

    if postgresql:  # VACUUM FULL wrote the table anew, without the dead copies of its rows
        assert _people_file(engine) != files_before
    else:  # secure_delete zeroed them, and the write-ahead log was checkpointed
        database = Path(engine.url.database)
        stored = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
        assert name.encode() not in stored and slack_id.encode() not in stored


def _people_file(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_relation_filenode('people')")).scalar()


def test_an_offer_of_help_is_in_the_copy_and_its_helper_erased_while_the_offer_stays(session):
    world = make_world(session, "Alpha", "Beta")
    helper = world.fellows["Beta"][0]
    asked = world.file("Alpha", help_request="Un contact à la CNIL")
    session.add(HelpOffer(bulletin=asked, helper_slack_id=helper.slack_user_id,
                          helper_name=helper.name, at=NOW))  # fmt: skip
    session.flush()
    copy = person_data(session, helper)
    assert [offer["team"] for offer in copy["offers_of_help"]] == ["Alpha"]

    slack_id, name = helper.slack_user_id, helper.name
    erasure = erase_person(session, slack_id, NOW, "fr")
    assert erasure.counts["offers of help they made"] == 1
    [offer] = session.scalars(select(HelpOffer)).all()
    assert offer.helper_name == "un ancien membre" and name not in offer.helper_name
    assert slack_id not in offer.helper_slack_id
