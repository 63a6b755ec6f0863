"""Writing claimants: create, update (optimistic ``version``) and merge.

A merge is one transaction: every claim of the source moves to the claimant kept, the
source's name and aliases join the kept one's aliases (its ``same_as`` links too), and
the source is marked ``merged_into``. Both rows are changed by conditional UPDATEs on
their state (the source's version, the kept one still live), taken in id order so that
two merges at once never deadlock: one wins, the other gets a 409.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm import Session

from ...jsonsafe import whole_number
from ...models import Annotation, Claimant, ClaimantAlias, ClaimantKind, utcnow
from ..errors import Conflict, Invalid
from . import index
from .core import NAME_LIMIT, folded

FIELDS = frozenset({"name", "kind", "description", "aliases", "same_as"})
DESCRIPTION_LIMIT = 2000
MAX_ALIASES = 100
MAX_LINKS = 20
URL_LIMIT = 2000


def refuse_unknown(data: Mapping, allowed: frozenset[str] | set[str]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise Invalid(
            _("Unknown or read-only field: %(names)s.", names=", ".join(unknown)),
            field=unknown[0],
        )


def _text(data: Mapping, name: str, limit: int) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise Invalid(_("%(name)s must be text.", name=name), field=name)
    value = " ".join(value.split()) if name != "description" else value.strip()
    if len(value) > limit:
        raise Invalid(
            _("%(name)s is too long: at most %(n)s characters.", name=name, n=limit), field=name
        )
    return value


def _name(data: Mapping) -> str:
    name = _text(data, "name", NAME_LIMIT)
    if not folded(name):
        raise Invalid(_("A claimant needs a name."), field="name")
    return name


def _kind(data: Mapping) -> ClaimantKind:
    value = data.get("kind")
    if not isinstance(value, str) or value not in {k.value for k in ClaimantKind}:
        raise Invalid(_("kind is “person” or “organization”."), field="kind")
    return ClaimantKind(value)


def _list(data: Mapping, name: str, most: int) -> list:
    value = data.get(name)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(_("%(name)s must be a list of texts.", name=name), field=name)
    if len(value) > most:
        raise Invalid(_("%(name)s: at most %(n)s.", name=name, n=most), field=name)
    return value


def _aliases(data: Mapping) -> list[str]:
    """Tidied, one per folded spelling, in the order given."""
    kept: dict[str, str] = {}
    for alias in _list(data, "aliases", MAX_ALIASES):
        alias = " ".join(alias.split())
        if len(alias) > NAME_LIMIT:
            raise Invalid(
                _("An alias is too long: at most %(n)s characters.", n=NAME_LIMIT),
                field="aliases",
            )
        key = folded(alias)
        if key:
            kept.setdefault(key, alias)
    return list(kept.values())


def _same_as(data: Mapping) -> list[str]:
    links: list[str] = []
    for url in _list(data, "same_as", MAX_LINKS):
        url = url.strip()
        parts = urlsplit(url)
        if len(url) > URL_LIMIT or parts.scheme not in ("http", "https") or not parts.netloc:
            raise Invalid(
                _("same_as takes http or https addresses only: %(url)s", url=url[:200]),
                field="same_as",
            )
        if url not in links:
            links.append(url)
    return links


def clean(data: Mapping, *, partial: bool = False) -> dict:
    """The fields of ``data`` checked and tidied (``partial``: only those present)."""
    readers = {
        "name": _name,
        "kind": _kind,
        "description": lambda d: _text(d, "description", DESCRIPTION_LIMIT),
        "aliases": _aliases,
        "same_as": _same_as,
    }
    if not partial and "name" not in data:
        raise Invalid(_("A claimant needs a name."), field="name")
    return {name: read(data) for name, read in readers.items() if name in data}


def _set_aliases(claimant: Claimant, aliases: list[str]) -> None:
    """Hold exactly ``aliases`` (never the claimant's own name), keeping rows unchanged."""
    own = folded(claimant.name)
    wanted = {folded(a): a for a in aliases if folded(a) != own}
    kept = []
    for row in claimant.aliases:
        if row.folded in wanted:
            row.alias = wanted.pop(row.folded)
            kept.append(row)
    kept.extend(ClaimantAlias(alias=a, folded=k) for k, a in wanted.items())
    claimant.aliases = kept


def _apply(claimant: Claimant, values: dict) -> None:
    if "name" in values:
        claimant.name = values["name"]
        claimant.folded = folded(values["name"])
    for name in ("kind", "description", "same_as"):
        if name in values:
            setattr(claimant, name, values[name])
    if "aliases" in values or "name" in values:
        current = [row.alias for row in claimant.aliases]
        _set_aliases(claimant, values.get("aliases", current))


def create(session: Session, data: Mapping) -> Claimant:
    refuse_unknown(data, FIELDS)
    values = clean(data)
    claimant = Claimant(
        name=values["name"],
        folded=folded(values["name"]),
        kind=values.get("kind", ClaimantKind.PERSON),
        description=values.get("description", ""),
        same_as=values.get("same_as", []),
        version=1,
    )
    _set_aliases(claimant, values.get("aliases", []))
    session.add(claimant)
    session.flush()
    return claimant


def read_version(value: object) -> int:
    """The ``version`` a client saw: a whole number, required."""
    number = whole_number(value, "version", minimum=1) if isinstance(value, int) else None
    if number is None or isinstance(value, bool):
        raise Invalid(_("The version you saw is required, as a whole number."), field="version")
    return number


def stale(claimant: Claimant, seen: int) -> Conflict:
    return Conflict(
        _(
            "This claimant changed since you opened it (you saw version %(seen)s, it is now "
            "version %(now)s). Nothing was saved; reload to see the current state.",
            seen=seen,
            now=claimant.version,
        ),
        code="stale_version",
        details={"current": {"version": claimant.version}},
    )


def _claim_version(session: Session, claimant: Claimant, seen: int, **values) -> None:
    """Bump ``claimant``'s version from ``seen`` (a conditional UPDATE: the one atomic
    check), with ``values``; 409 when another write came first."""
    done = session.execute(
        update(Claimant)
        .where(Claimant.id == claimant.id, Claimant.version == seen)
        .values(version=seen + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(claimant)
    if done != 1:
        raise stale(claimant, seen)


def update_claimant(session: Session, claimant: Claimant, data: Mapping) -> Claimant:
    """PATCH: the fields given, with the ``version`` the client saw."""
    refuse_unknown(data, FIELDS | {"version"})
    seen = read_version(data.get("version"))
    values = clean(data, partial=True)
    if claimant.merged_into_id is not None:
        raise Conflict(
            _("This claimant was merged into another one: edit that one."), code="merged"
        )
    _claim_version(session, claimant, seen)
    _apply(claimant, values)
    session.flush()  # the new words are written with it (index.py)
    return claimant


def merge(session: Session, source: Claimant, into_id: object, seen: object) -> Claimant:
    """Merge ``source`` into the claimant ``into_id``; returns the claimant kept."""
    seen = read_version(seen)
    target_id = whole_number(into_id, "into", minimum=1) if isinstance(into_id, int) else None
    if target_id is None or isinstance(into_id, bool):
        raise Invalid(_("into must be a claimant's id."), field="into")
    target = session.get(Claimant, target_id)
    if target is None:
        raise Invalid(_("No claimant has the id %(id)s.", id=target_id), field="into")
    if target.id == source.id:
        raise Invalid(_("A claimant cannot be merged into itself."), field="into")
    if target.merged_into_id is not None:
        raise Invalid(
            _(
                "%(name)s was merged away already: merge into the claimant it joined.",
                name=target.name,
            ),
            field="into",
        )
    if source.merged_into_id is not None or source.version != seen:
        raise stale(source, seen)
    for claimant in sorted((source, target), key=lambda c: c.id):
        if claimant is source:
            _claim_version(session, source, seen, merged_into_id=target.id)
        else:
            _claim_live(session, target)
    _move(session, source, target)
    return target


def _claim_live(session: Session, target: Claimant) -> None:
    done = session.execute(
        update(Claimant)
        .where(Claimant.id == target.id, Claimant.merged_into_id.is_(None))
        .values(version=Claimant.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(target)
    if done != 1:
        raise Conflict(
            _("%(name)s was merged into another claimant meanwhile.", name=target.name),
            code="merged",
        )


def _move(session: Session, source: Claimant, target: Claimant) -> None:
    """Claims, names and links of ``source`` go to ``target``."""
    session.execute(
        update(Annotation)
        .where(Annotation.claimant_id == source.id)
        .values(claimant_id=target.id)
        .execution_options(synchronize_session=False)
    )
    # claimants merged into the source earlier now point at the one kept (one hop)
    session.execute(
        update(Claimant)
        .where(Claimant.merged_into_id == source.id)
        .values(merged_into_id=target.id)
        .execution_options(synchronize_session=False)
    )
    names = [source.name, *(row.alias for row in source.aliases)]
    source.aliases = []
    session.flush()
    _set_aliases(target, [row.alias for row in target.aliases] + names)
    target.same_as = list(dict.fromkeys([*(target.same_as or []), *(source.same_as or [])]))
    if not target.description and source.description:
        target.description = source.description
    session.flush()
    # the source's words go (its names are the target's aliases now), the target has them
    index.reindex(session.connection(), [source.id, target.id])
