"""Create exactly once: the first answer to a create request is stored under the
(user, ``Idempotency-Key``) pair, in the same transaction as what it created.

A repeat within ``KEY_TTL`` gets that first answer back and creates nothing. Two repeats
racing each other both try to insert the key row; the unique constraint lets one commit
and the other roll back everything it did, then replay the winner's answer (on SQLite the
write transactions queue, so the second one simply finds the first one's row).

Only successful answers (2xx, 3xx) are kept: a request refused with 422 may be corrected
and sent again under the same key.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import IdempotencyKey, utcnow
from .errors import BadRequest, Invalid

KEY_TTL = timedelta(hours=24)
#: visible ASCII, as UUIDs and the keys of most HTTP clients are
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,200}")
REPLAYED_HEADERS = ("Content-Type", "Location")


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    body: str
    headers: dict[str, str]


def check_key(value: str) -> str:
    """The key as sent, or 400 when it is not 1–200 visible ASCII characters."""
    if not KEY_PATTERN.fullmatch(value):
        raise BadRequest(
            _("Idempotency-Key must be 1 to 200 visible ASCII characters (a UUID)."),
            code="bad_idempotency_key",
        )
    return value


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def find(session: Session, user_id: int, key: str, print_: str) -> StoredAnswer | None:
    """The stored answer for (user, key) if younger than ``KEY_TTL``; an expired one is
    removed. The same key on a different request is refused (422)."""
    row = session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    )
    if row is None:
        return None
    if row.created_at < utcnow() - KEY_TTL:
        session.delete(row)
        session.flush()
        return None
    if row.fingerprint != print_:
        raise Invalid(
            _("This Idempotency-Key was already used for another request; use a new key."),
            code="idempotency_key_reused",
        )
    return StoredAnswer(row.status, row.body, json.loads(row.headers or "{}"))


def record(session: Session, user_id: int, key: str, print_: str, answer: StoredAnswer) -> None:
    """Store ``answer`` under (user, key) in the current transaction; an IntegrityError
    (at this flush or at the commit) means another request with the same key won."""
    session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.created_at < utcnow() - KEY_TTL
        )
    )
    session.add(
        IdempotencyKey(
            user_id=user_id,
            key=key,
            fingerprint=print_,
            status=answer.status,
            body=answer.body,
            headers=json.dumps(answer.headers),
        )
    )
    session.flush()
