"""Campaigns: launching for the right people, answering page by page, finishing, pulses,
reminders and the monthly launch, on both databases."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.blocks.message_blocks import action_pattern, message_blocks
from bot.standin.blockkit import check_blocks
from bulletins.cycle.jobs import JobContext
from bulletins.db.models import (
    Absence,
    Campaign,
    Cohort,
    Draft,
    Membership,
    OutboxMessage,
    Participation,
    Person,
    StaffMember,
    SurveyResponse,
    Team,
)
from bulletins.messages import Button, Confirm, Message, Section
from bulletins.rights.erasure import erase_person
from evaluation import campaigns as core
from evaluation.campaigns import jobs as campaign_jobs
from evaluation.campaigns.invitations import invitation
from evaluation.campaigns.jobs import launch_recurring, survey_reminders
from evaluation.surveys.definitions import (
    Audience,
    Choice,
    Condition,
    Page,
    Question,
    Recurrence,
    Survey,
    Text,
    Window,
)
from tests.support.cycle_world import CALENDAR, SETTINGS, paris

LAUNCH = paris(2026, 3, 2, 10, 0)  # a Monday


def t(text: str) -> Text:
    return Text(fr=f"{text} (fr)", en=text)


RATING = Question("rating", "scale", t("How is it going?"))
WORKS = Question("works", "yes_no", t("Does it work?"))
WHY = Question("why", "long_text", t("Why not?"), show_if=Condition("works", ("no",)))
COMMENT = Question("comment", "short_text", t("Anything else?"), required=False)
SURVEY = Survey(
    id="check-in",
    title=t("Check-in"),
    intro=t("A few questions about your challenge."),
    audience=Audience(roles=("fellow", "mentor")),
    anonymous=True,
    pages=(Page((RATING, WORKS)), Page((WHY,)), Page((COMMENT,))),
    window=Window(days=14),
    reminders=(2, 5),
)
NAMED = replace(SURVEY, id="named-check-in", anonymous=False)
MOOD = Question("mood", "scale", t("Your mood this month?"), low_label=t("Low"), high_label=t("Up"))
PULSE = Survey(
    id="pulse",
    title=t("Pulse"),
    intro=t("One click."),
    audience=Audience(roles=("mentor",)),
    anonymous=True,
    pages=(Page((MOOD,)),),
    recurrence=Recurrence("month", "first_working_day", 7),
    reminders=(3,),
)
TWO_CLICKS = replace(PULSE, id="two-clicks", pages=(Page((MOOD, WORKS)),))


@dataclass
class Programme:
    session: Session
    cohort: Cohort
    invited: dict[str, str] = field(default_factory=dict)  # slack id → role answered as
    people: dict[str, Person] = field(default_factory=dict)

    def person(self, slack_id: str, locale: str | None = None) -> Person:
        person = Person(slack_user_id=slack_id, name=f"Person {slack_id}", locale=locale)
        self.session.add(person)
        self.people[slack_id] = person
        return person

    def member(self, person: Person, team: Team, role: str, until: date | None = None) -> None:
        since = self.cohort.starts_on
        self.session.add(Membership(person=person, team=team, role=role, since=since, until=until))


def programme(session: Session) -> Programme:
    """Two active teams (fellows and a mentor each), an ended team, a fellow who left, a
    fellow who also mentors, staff, and an ended cohort."""
    cohort = Cohort(name="EIG 9", starts_on=date(2026, 1, 5), ends_on=date(2026, 12, 18))
    old = Cohort(name="EIG 8", starts_on=date(2025, 1, 6), ends_on=date(2025, 12, 19))
    world = Programme(session, cohort)
    a, b = Team(cohort=cohort, name="Alpha", slug="alpha"), Team(cohort=cohort, name="B", slug="b")
    ended = Team(cohort=cohort, name="Ended", slug="ended", ends_on=date(2026, 2, 1))
    past = Team(cohort=old, name="Past", slug="past")
    session.add_all([cohort, old, a, b, ended, past])
    for slack_id, team, role in [("UA1", a, "fellow"), ("UA2", a, "fellow"), ("UAM", a, "mentor"),
                                 ("UB1", b, "fellow"), ("UBM", b, "mentor")]:  # fmt: skip
        world.member(world.person(slack_id, "en" if slack_id == "UA2" else None), team, role)
        world.invited[slack_id] = role
    both = world.person("UBOTH")
    world.member(both, b, "mentor")
    world.member(both, a, "fellow")
    world.invited["UBOTH"] = "fellow"  # the first of the survey's roles they hold
    world.member(world.person("ULEFT"), a, "fellow", until=date(2026, 2, 27))
    world.member(world.person("UEND"), ended, "fellow")
    world.member(world.person("UPAST"), past, "fellow")
    staff = world.person("USTAFF")
    session.add(StaffMember(person=staff, cohort=cohort, since=cohort.starts_on))
    session.flush()
    return world


def launch(world: Programme, survey: Survey = SURVEY, now=LAUNCH, **kwargs) -> Campaign:
    return core.launch(
        world.session, survey, cohort=kwargs.pop("cohort", world.cohort), now=now,
        calendar=CALENDAR, settings=SETTINGS, **kwargs,
    )  # fmt: skip


def invites(session: Session) -> dict[str, OutboxMessage]:
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "survey_invite"))
    return {row.channel: row for row in rows}


def test_launch_invites_exactly_the_audience_once_each(session):
    world = programme(session)
    campaign = launch(world)
    assert campaign.key == "check-in:EIG 9"
    assert campaign.closes_at == LAUNCH + timedelta(days=14)
    roles = {p.person.slack_user_id: p.role for p in session.scalars(select(Participation))}
    assert roles == world.invited
    sent = invites(session)
    assert set(sent) == set(world.invited)
    assert sent["UA1"].key == f"survey:check-in:EIG 9:invite:person-{world.people['UA1'].id}"
    french, english = Message.from_json(sent["UA1"].payload), Message.from_json(sent["UA2"].payload)
    assert french.buttons[0].action == "survey_answer"
    assert french.buttons[0].value == str(campaign.id)
    french_text = " ".join(s.text for s in french.sections)
    assert "votre nom n'est jamais enregistré" in french_text and "au moins 5" in french_text
    english_text = " ".join(s.text for s in english.sections)
    assert "your name is never stored with your answers" in english_text
    assert "3 pages, about 3 min" in english_text and "Monday 16 March 10:00" in english_text
    check_blocks([block.to_dict() for block in message_blocks(english)])


def test_launching_the_same_key_twice_is_refused(session):
    world = programme(session)
    launch(world)
    with pytest.raises(core.CampaignExists, match="already launched as 'check-in:EIG 9'"):
        launch(world, now=LAUNCH + timedelta(days=1))
    assert session.scalar(select(func.count()).select_from(Campaign)) == 1
    assert len(invites(session)) == len(world.invited)


def test_a_launch_that_would_invite_nobody_is_refused_and_leaves_no_campaign(session):
    world = programme(session)
    ended = session.scalar(select(Cohort).where(Cohort.name == "EIG 8"))
    with pytest.raises(core.NobodyToInvite, match="would invite nobody.*cohort EIG 8"):
        launch(world, cohort=ended)
    assert session.scalar(select(func.count()).select_from(Campaign)) == 0
    assert invites(session) == {}
    assert launch(world).key == "check-in:EIG 9"  # the refusal took no key


def test_without_a_cohort_the_active_one_or_every_active_one_is_asked(session):
    world = programme(session)
    alone = launch(world, cohort=None)
    assert (alone.key, alone.cohort_id) == ("check-in:EIG 9", world.cohort.id)  # EIG 8 ended
    other = Cohort(name="EIG 10", starts_on=date(2026, 2, 2))
    team = Team(cohort=other, name="Gamma", slug="gamma")
    session.add_all([other, team])
    world.member(world.person("UG1"), team, "fellow")
    session.flush()
    both = launch(world, NAMED, cohort=None)
    assert (both.key, both.cohort_id) == ("named-check-in", None)
    roles = {p.person.slack_user_id for p in session.scalars(
        select(Participation).where(Participation.campaign_id == both.id))}  # fmt: skip
    assert roles == set(world.invited) | {"UG1"}


def test_a_fixed_window_closes_at_the_end_of_its_last_day(session):
    world = programme(session)
    survey = replace(SURVEY, window=Window(opens=date(2026, 3, 2), closes=date(2026, 3, 13)))
    campaign = launch(world, survey)
    assert campaign.closes_at == paris(2026, 3, 13, 23, 59, 59)


def test_pages_are_saved_resumed_and_hidden_pages_skipped(session):
    world = programme(session)
    campaign, person = launch(world), world.people["UA1"]
    assert core.progress(session, campaign, person) == core.Progress(0, 3, {}, False, True)
    saved = core.save_page(session, campaign, person, 0, {"rating": 4, "works": "yes"}, LAUNCH)
    assert saved.page == 2  # page 2, "why not?", is hidden when it works
    resumed = core.progress(session, campaign, person, LAUNCH + timedelta(days=1))
    assert resumed == core.Progress(2, 3, {"rating": 4, "works": "yes"}, False, True)
    changed = core.save_page(session, campaign, person, 0, {"rating": 2, "works": "no"}, LAUNCH)
    assert changed.page == 1
    core.save_page(session, campaign, person, 1, {"why": "Blocked by IT"}, LAUNCH)
    back = core.save_page(session, campaign, person, 0, {"rating": 3, "works": "yes"}, LAUNCH)
    assert back.answers == {"rating": 3, "works": "yes"}  # the hidden answer is dropped
    assert core.save_page(session, campaign, person, 2, {}, LAUNCH).page == 3
    done = core.finish(session, campaign, person, LAUNCH)
    assert done.finished and done.page == done.pages == 3


def test_invalid_answers_are_refused_and_nothing_is_stored(session):
    world = programme(session)
    campaign, person = launch(world), world.people["UA1"]
    with pytest.raises(core.InvalidAnswers) as error:
        core.save_page(session, campaign, person, 0, {"rating": 9}, LAUNCH)
    assert set(error.value.problems) == {"rating", "works"}
    assert session.scalar(select(func.count()).select_from(Draft)) == 0
    core.save_page(session, campaign, person, 0, {"rating": 2, "works": "no"}, LAUNCH)
    with pytest.raises(core.InvalidAnswers) as error:
        core.finish(session, campaign, person, LAUNCH)  # "why not?" is now required
    assert set(error.value.problems) == {"why"}


def test_finishing_an_anonymous_survey_detaches_the_answers(session):
    world = programme(session)
    campaign, person = launch(world), world.people["UB1"]
    core.save_page(session, campaign, person, 0, {"rating": 5, "works": "yes"}, LAUNCH)
    core.save_page(session, campaign, person, 2, {"comment": "Great"}, LAUNCH)
    progress = core.finish(session, campaign, person, LAUNCH)
    assert progress == core.Progress(3, 3, {}, True, False)
    assert session.scalar(select(func.count()).select_from(Draft)) == 0
    assert core.participation_of(session, campaign, person).finished
    response = session.scalars(select(SurveyResponse)).one()
    assert response.person_id is None and response.role == "fellow"
    assert response.answers == {"rating": 5, "works": "yes", "comment": "Great"}
    for change in (
        lambda: core.save_page(session, campaign, person, 0, {"rating": 1, "works": "no"}, LAUNCH),
        lambda: core.finish(session, campaign, person, LAUNCH),
        lambda: core.reopen(session, campaign, person, LAUNCH),
    ):
        with pytest.raises(core.AlreadySent):
            change()
    assert session.scalars(select(SurveyResponse.answers)).one()["rating"] == 5


def test_named_answers_can_change_until_the_campaign_closes(session):
    world = programme(session)
    campaign, person = launch(world, NAMED), world.people["UAM"]
    core.save_page(session, campaign, person, 0, {"rating": 2, "works": "yes"}, LAUNCH)
    core.finish(session, campaign, person, LAUNCH)
    response = session.scalars(select(SurveyResponse)).one()
    assert (response.person_id, response.role) == (person.id, "mentor")
    later = LAUNCH + timedelta(days=3)
    assert core.progress(session, campaign, person, later).can_change
    reopened = core.reopen(session, campaign, person, later)
    assert (reopened.page, reopened.answers) == (0, {"rating": 2, "works": "yes"})
    core.save_page(session, campaign, person, 0, {"rating": 4, "works": "yes"}, later)
    core.finish(session, campaign, person, later)
    assert session.scalars(select(SurveyResponse.answers)).one()["rating"] == 4
    closed = campaign.closes_at
    assert not core.progress(session, campaign, person, closed).can_change
    with pytest.raises(core.CampaignClosed):
        core.reopen(session, campaign, person, closed)


def test_a_closed_campaign_refuses_answers(session):
    world = programme(session)
    campaign, person = launch(world), world.people["UA1"]
    assert core.open_campaign(session, campaign.id, LAUNCH) is campaign
    with pytest.raises(core.CampaignClosed) as error:
        core.open_campaign(session, campaign.id, campaign.closes_at)
    assert error.value.closes_at == campaign.closes_at
    assert "closed on 2026-03-16" in str(error.value)
    with pytest.raises(core.CampaignClosed):
        core.save_page(
            session, campaign, person, 0, {"rating": 1, "works": "yes"}, error.value.closes_at
        )
    with pytest.raises(core.CampaignNotFound):
        core.open_campaign(session, campaign.id + 100, LAUNCH)


def test_people_outside_the_audience_cannot_answer(session):
    world = programme(session)
    campaign = launch(world)
    for slack_id in ("USTAFF", "ULEFT", "UEND", "UPAST"):
        with pytest.raises(core.NotInvited):
            core.participation_of(session, campaign, world.people[slack_id])


def test_a_pulse_is_answered_with_one_click(session):
    world = programme(session)
    campaign, mentor = launch(world, PULSE), world.people["UBM"]
    assert campaign.key == "pulse:2026-03:EIG 9"
    message = Message.from_json(invites(session)["UBM"].payload)
    assert message.buttons == ()
    buttons = message.sections[-1].buttons
    assert [b.value for b in buttons] == [f"{campaign.id}:mood:{v}" for v in range(1, 6)]
    assert {b.action for b in buttons} == {"survey_pulse"}
    assert "1 = Low (fr) · 5 = Up (fr)" in message.sections[-1].text
    confirm = buttons[4].confirm  # anonymous: the click cannot be taken back, Slack asks first
    assert confirm is not None and confirm.title == "Envoyer cette réponse\u202f?"
    assert confirm.text == (
        "Envoyer «\u00a05 — Up (fr)\u00a0»\u202f? "
        "Les réponses anonymes ne peuvent plus être modifiées."
    )
    assert (confirm.confirm, confirm.deny) == ("Envoyer", "Annuler")
    assert buttons[2].confirm.text.startswith("Envoyer «\u00a03\u00a0»\u202f?")
    check_blocks([block.to_dict() for block in message_blocks(message)])
    assert core.parse_pulse_value(buttons[3].value) == (campaign.id, "mood", "4")
    progress = core.answer_pulse(session, campaign, mentor, "mood", "4", LAUNCH)
    assert progress.finished
    response = session.scalars(select(SurveyResponse)).one()
    assert (response.answers, response.person_id) == ({"mood": 4}, None)
    with pytest.raises(core.AlreadySent):
        core.answer_pulse(session, campaign, mentor, "mood", "2", LAUNCH)
    with pytest.raises(core.InvalidAnswers):
        core.answer_pulse(session, campaign, world.people["UAM"], "mood", "7", LAUNCH)


def test_a_pulse_of_two_questions_finishes_with_the_second_answer(session):
    world = programme(session)
    campaign, mentor = launch(world, TWO_CLICKS), world.people["UAM"]
    assert not core.answer_pulse(session, campaign, mentor, "mood", "2", LAUNCH).finished
    assert not core.answer_pulse(session, campaign, mentor, "mood", "3", LAUNCH).finished
    assert core.answer_pulse(session, campaign, mentor, "works", "no", LAUNCH).finished
    assert session.scalars(select(SurveyResponse.answers)).one() == {"mood": 3, "works": "no"}


def reminders_sent(session: Session) -> dict[str, Message]:
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "survey_reminder"))
    return {row.key: Message.from_json(row.payload) for row in rows}


def test_reminders_go_to_who_has_not_finished_and_the_last_names_the_closing_date(session):
    world = programme(session)
    campaign = launch(world)  # reminders on days 2 and 5: Wednesday 4 and Saturday 7 March
    core.save_page(session, campaign, world.people["UA1"], 0, {"rating": 4, "works": "yes"}, LAUNCH)
    core.finish(session, campaign, world.people["UA1"], LAUNCH)
    core.save_page(session, campaign, world.people["UA2"], 0, {"rating": 4, "works": "yes"}, LAUNCH)
    session.add(Absence(person_id=world.people["UB1"].id, until=date(2026, 3, 5)))
    ctx = world.session, CALENDAR, SETTINGS
    assert survey_reminders(JobContext(*ctx, paris(2026, 3, 4, 9, 59))) == 0
    first = survey_reminders(JobContext(*ctx, paris(2026, 3, 4, 10, 0)))
    assert survey_reminders(JobContext(*ctx, paris(2026, 3, 4, 16, 0))) == 0
    reminded = {key.rsplit("person-", 1)[1] for key in reminders_sent(session)}
    expected = set(world.invited) - {"UA1", "UB1"}  # finished; away
    assert reminded == {str(world.people[s].id) for s in expected} and first == len(expected)
    early = next(iter(reminders_sent(session).values()))
    assert "closes" not in " ".join(s.text for s in early.sections)
    assert survey_reminders(JobContext(*ctx, paris(2026, 3, 7, 10, 30))) == 5
    mentor = world.people["UAM"].id  # French
    last = reminders_sent(session)[f"survey:check-in:EIG 9:reminder:2026-03-07:person-{mentor}"]
    assert "se clôt le lundi 16 mars 10:00" in " ".join(s.text for s in last.sections)
    assert last.buttons[0].value == str(campaign.id)


def test_a_monthly_survey_is_launched_on_the_first_working_day_once(session, monkeypatch):
    programme(session)
    monkeypatch.setattr(campaign_jobs, "available_surveys", lambda settings: {"pulse": PULSE})

    def run(*moment: int) -> int:
        return launch_recurring(JobContext(session, CALENDAR, SETTINGS, paris(*moment)))

    assert run(2026, 5, 1, 10, 0) == 0  # Friday 1 May is a public holiday, then a weekend
    assert run(2026, 5, 4, 9, 59) == 0
    assert run(2026, 5, 4, 10, 0) == 1
    assert run(2026, 5, 4, 10, 1) == 0
    assert run(2026, 5, 5, 10, 0) == 0
    assert run(2026, 6, 1, 10, 0) == 1
    keys = session.scalars(select(Campaign.key).order_by(Campaign.id)).all()
    assert keys == ["pulse:2026-05:EIG 9", "pulse:2026-06:EIG 9"]
    sent = session.scalars(select(OutboxMessage.key).where(OutboxMessage.kind == "survey_invite"))
    assert len(sent.all()) == 6  # EIG 9's three mentors, once a month


def test_only_an_anonymous_pulse_asks_before_sending_in_the_persons_language():
    english = invitation(7, LAUNCH, PULSE, "en", SETTINGS).sections[-1].buttons
    assert english[4].confirm == Confirm(
        "Send this answer?", "Send “5 — Up”? Anonymous answers cannot be changed.", "Send", "Cancel"
    )
    named = invitation(7, LAUNCH, replace(PULSE, anonymous=False), "en", SETTINGS)
    assert all(b.confirm is None for b in named.sections[-1].buttons)
    # A long choice is shortened: the dialog stays within Slack's limits.
    long = Question("pick", "single", t("Which?"), choices=(Choice("a", t("x" * 400)),))
    pulse = replace(PULSE, pages=(Page((long,)),))
    message = invitation(7, LAUNCH, pulse, "fr", SETTINGS)
    assert message.sections[-1].buttons[0].confirm.text.count("x") == 149
    blocks = [block.to_dict() for block in message_blocks(message)]
    check_blocks(blocks)
    assert blocks[-1]["elements"][0]["confirm"]["text"]["type"] == "plain_text"


def test_a_message_with_rows_of_buttons_survives_the_outbox():
    ask = Confirm("Sure?", "Send “1”?", "Send", "Cancel")
    row = (
        Button("survey_pulse", "1:mood:1", "1", confirm=ask),
        Button("survey_pulse", "1:mood:2", "2"),
    )
    message = Message(text="t", sections=(Section("How?", buttons=row), Section("Plain")))
    assert Message.from_json(message.to_json()) == message
    blocks = [block.to_dict() for block in message_blocks(message)]
    check_blocks(blocks)
    action_ids = [element["action_id"] for element in blocks[1]["elements"]]
    assert all(action_pattern("survey_pulse").match(a) for a in action_ids)
    assert len(set(action_ids)) == 2


def test_no_reminder_goes_to_someone_whose_data_was_erased(session):
    world = programme(session)
    campaign = launch(world)
    erased = world.people["UB1"]
    erase_person(session, erased.slack_user_id, LAUNCH, "fr")

    survey_reminders(JobContext(world.session, CALENDAR, SETTINGS, paris(2026, 3, 4, 10, 0)))

    reminded = {key.rsplit("person-", 1)[1] for key in reminders_sent(session)}
    assert str(erased.id) not in reminded and len(reminded) == len(world.invited) - 1
    assert session.scalar(select(Campaign.id)) == campaign.id
