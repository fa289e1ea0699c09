"""Sealing the drafts of anonymous surveys with a key the database does not hold.

A draft is a person's answers in progress, stored beside their id until they send them. For
an anonymous survey its answers and next page are sealed (AES-256-GCM, authenticated) and
stored as ``{"sealed": "<token>"}``; the row's ``page`` column stays 0, since the next page
follows from the answers (a page that only some answers show). Each seal is bound to its
campaign and person: a token copied into another person's row does not open there. The
plaintext is padded to a multiple of ``PADDING`` bytes, so that the token's length says
little about how much someone wrote. Drafts of named surveys are stored as they are.

The key comes with the session: :func:`session_info`, given to the session factory, puts a
:class:`Seal` in each session's ``info`` (``bot.bootstrap`` derives it from the app's
signing secret, which every process of a deployment shares). A session without one (core
tests, a command run without Slack's secrets) uses a random key made once per process: its
drafts cannot be read by another process, nor after a restart.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.orm import Session

from bulletins.db.models import Campaign, Draft

log = logging.getLogger(__name__)

LABEL = b"bulletins survey drafts"  # HKDF's info: this key serves drafts and nothing else
PADDING = 1024
NONCE_BYTES = 12
_INFO_KEY = "evaluation.campaigns.sealing.seal"


class Unreadable(Exception):
    """A token that this key did not seal (another key, another draft, or altered)."""


class Seal:
    """Authenticated encryption of JSON values under one 256-bit key."""

    def __init__(self, key: bytes):
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "Seal(<key>)"

    @classmethod
    def from_secret(cls, secret: str) -> Seal:
        """The seal derived (HKDF-SHA256, labelled ``LABEL``) from a secret: the same secret
        always gives the same key."""
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=LABEL)
        return cls(hkdf.derive(secret.encode()))

    @classmethod
    def random(cls) -> Seal:
        return cls(AESGCM.generate_key(bit_length=256))

    def seal(self, value: object, context: bytes) -> str:
        """``value`` as JSON, padded, encrypted and bound to ``context``."""
        plain = json.dumps(value, separators=(",", ":")).encode()
        plain += b" " * (-len(plain) % PADDING)  # JSON ignores trailing whitespace
        nonce = os.urandom(NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, plain, context)
        return base64.urlsafe_b64encode(sealed).decode("ascii")

    def open(self, token: str, context: bytes) -> object:
        """The value sealed in ``token`` for ``context``; Unreadable otherwise."""
        try:
            raw = base64.urlsafe_b64decode(token.encode("ascii"))
            nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
            return json.loads(self._aead.decrypt(nonce, sealed, context))
        except (InvalidTag, ValueError, binascii.Error) as error:
            raise Unreadable from error


# Made once per process (at import, so that threads never make two), kept in memory only:
# the drafts it sealed are lost with the process.
_PROCESS_SEAL = Seal.random()


def session_info(seal: Seal) -> dict:
    """The ``info`` of a session factory whose sessions seal drafts with ``seal``."""
    return {_INFO_KEY: seal}


def seal_of(session: Session) -> Seal:
    """The session's seal; without one, this process's random seal."""
    seal = session.info.get(_INFO_KEY)
    return seal if isinstance(seal, Seal) else _PROCESS_SEAL


def write_draft(
    session: Session, campaign: Campaign, draft: Draft, answers: dict, page: int
) -> None:
    """Store ``answers`` and the next ``page`` in ``draft``, sealed if the campaign is
    anonymous."""
    if not campaign.anonymous:
        draft.answers, draft.page = answers, page
        return
    token = seal_of(session).seal({"answers": answers, "page": page}, _context(draft))
    draft.answers, draft.page = {"sealed": token}, 0


def read_draft(session: Session, campaign: Campaign, draft: Draft) -> tuple[dict, int] | None:
    """The draft's answers and next page; None when it cannot be unsealed (sealed under
    another key: the secret changed), so that the person starts again."""
    stored = dict(draft.answers)
    token = stored.get("sealed") if campaign.anonymous and len(stored) == 1 else None
    if not isinstance(token, str):  # a named survey's, or stored before drafts were sealed
        return stored, draft.page
    try:
        content = seal_of(session).open(token, _context(draft))
    except Unreadable:
        log.warning(
            "a draft of survey %s cannot be unsealed (the key, from the signing secret, "
            "changed?): it counts as no draft",
            campaign.key,
        )
        return None
    if not isinstance(content, dict):
        return None
    return dict(content["answers"]), int(content["page"])


def _context(draft: Draft) -> bytes:
    return f"draft {draft.campaign_id} {draft.person_id}".encode()
