"""The retention jobs' SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import select

from bulletins.config import Retention
from bulletins.db.models import BulletinRevision, OutboxMessage
from bulletins.messages import Message
from bulletins.outbox import enqueue, mark_sent
from bulletins.retention import delete_old_revisions, empty_old_messages
from tests.support.cycle_world import SETTINGS, make_world, paris

SENT = paris(2026, 3, 6, 15, 5)
SHORT = dataclasses.replace(SETTINGS, retention=Retention(sent_messages_days=10,
                                                          bulletin_revisions_days=20))  # fmt: skip


def test_sent_messages_lose_their_text_after_the_period_pending_ones_never(session):
    world = make_world(session, "Alpha")
    sent = enqueue(session, key="digest", kind="digest", channel="C0DIGEST",
                   message=Message(text="Alpha fellow 1 a écrit"), now=SENT)  # fmt: skip
    mark_sent(sent, now=SENT, channel="C0DIGEST", ts="1.0")
    enqueue(session, key="later", kind="digest", channel="C0DIGEST",
            message=Message(text="pas encore envoyé"), now=SENT)  # fmt: skip
    session.flush()

    assert empty_old_messages(world.ctx(SENT + timedelta(days=9), SHORT)) == 0
    assert empty_old_messages(world.ctx(SENT + timedelta(days=11), SHORT)) == 1
    assert empty_old_messages(world.ctx(SENT + timedelta(days=11), SHORT)) == 0
    session.expire_all()
    payloads = dict(session.execute(select(OutboxMessage.key, OutboxMessage.payload)).all())
    assert payloads["digest"] == {} and payloads["later"]["text"] == "pas encore envoyé"


def test_earlier_versions_of_bulletins_go_after_the_period(session):
    world = make_world(session, "Alpha")
    bulletin = world.file("Alpha")
    author = world.fellows["Alpha"][0]
    for days in (0, 15):
        session.add(BulletinRevision(bulletin_id=bulletin.id, edited_by_id=author.id,
                                     edited_at=SENT + timedelta(days=days),
                                     previous={"priority": f"v{days}"}))  # fmt: skip
    session.flush()

    assert delete_old_revisions(world.ctx(SENT + timedelta(days=21), SHORT)) == 1
    kept = session.scalars(select(BulletinRevision.previous)).all()
    assert kept == [{"priority": "v15"}]
