"""Keep a `PendingApproval` in the state store: the message with its bytes in base64, as JSON a
person can read (`SELECT record FROM approval`)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import datetime
from typing import NotRequired, TypedDict

from sqlalchemy import select, update

from schemas.approval import Decision, PendingApproval
from schemas.mail import Attachment, Message
from tasks.statedb import Store, guarded
from tasks.statedb.tables import APPROVAL, upsert

STORE = "approvals"


class MessageJson(TypedDict):
    """A `Message` as stored: bytes in base64."""

    to: list[str]
    subject: str
    html: str
    text: str
    sender: str
    inline_images: dict[str, str]
    attachments: list[list[str]]  # [file name, content in base64, MIME type]
    report_key: str
    headers: dict[str, str]
    sender_name: str
    reply_to: str


class DecisionJson(TypedDict):
    """A `Decision` as stored."""

    send: bool
    note: str
    by_default: bool
    decided_at: str
    commentary: NotRequired[str]  # records written before the review existed lack it


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _message_json(m: Message) -> MessageJson:
    return {
        "to": list(m.to),
        "subject": m.subject,
        "html": m.html,
        "text": m.text,
        "sender": m.sender,
        "inline_images": {cid: _b64(png) for cid, png in m.inline_images.items()},
        "attachments": [[a.filename, _b64(a.content), a.mime_type] for a in m.attachments],
        "report_key": m.report_key,
        "headers": dict(m.headers),
        "sender_name": m.sender_name,
        "reply_to": m.reply_to,
    }


def _message(raw: MessageJson) -> Message:
    return Message(
        to=tuple(raw["to"]),
        subject=raw["subject"],
        html=raw["html"],
        text=raw["text"],
        sender=raw["sender"],
        inline_images={cid: base64.b64decode(v) for cid, v in raw["inline_images"].items()},
        attachments=tuple(Attachment(n, base64.b64decode(c), t) for n, c, t in raw["attachments"]),
        report_key=raw["report_key"],
        headers=raw["headers"],
        sender_name=raw.get("sender_name", ""),
        reply_to=raw.get("reply_to", ""),
    )


def _decision_json(d: Decision | None) -> DecisionJson | None:
    if d is None:
        return None
    return DecisionJson(
        send=d.send,
        note=d.note,
        by_default=d.by_default,
        decided_at=d.decided_at.isoformat(),
        commentary=d.commentary,
    )


def _decision(d: DecisionJson | None) -> Decision | None:
    if d is None:
        return None
    decided_at = datetime.fromisoformat(d["decided_at"])
    return Decision(d["send"], d["note"], d["by_default"], decided_at, d.get("commentary", ""))


def record_json(pending: PendingApproval) -> str:
    """The record as JSON text."""
    payload = {
        **vars(pending),
        "message": _message_json(pending.message),
        "deadline": pending.deadline.isoformat(),
        "decision": _decision_json(pending.decision),
        "delivered_to": list(pending.delivered_to),
    }
    return json.dumps(payload, ensure_ascii=False)


def record_from_json(text: str) -> PendingApproval:
    """Read a record back from `record_json` text."""
    raw = json.loads(text)
    return PendingApproval(
        **{
            **raw,
            "message": _message(raw["message"]),
            "deadline": datetime.fromisoformat(raw["deadline"]),
            "decision": _decision(raw["decision"]),
            "delivered_to": tuple(raw["delivered_to"]),
        }
    )


def save_pending(store: Store, pending: PendingApproval, now: datetime) -> None:
    """Write (or overwrite) the run's record."""
    row = {
        "run_id": pending.run_id,
        "period": pending.period,
        "updated_at": now.isoformat(),
        "record": record_json(pending),
    }
    engine = store.database(STORE)
    with guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        upsert(conn, APPROVAL, row)


def load_pending(store: Store, run_id: str) -> PendingApproval | None:
    """The record of run `run_id`, or None when this run has not previewed anything yet."""
    engine = store.database(STORE, create=False)
    if engine is None:
        return None
    query = select(APPROVAL.c.record).where(APPROVAL.c.run_id == run_id)
    with guarded(engine, "read"), engine.connect() as conn:
        text = conn.execute(query).scalar()
    return None if text is None else record_from_json(text)


def close_pending(
    store: Store,
    run_id: str,
    closing: Callable[[PendingApproval], PendingApproval | None],
    now: datetime,
) -> PendingApproval | None:
    """Replace run `run_id`'s record by `closing(record)` unless someone changed it meanwhile.

    Returns the record as it was before, or None when there is none, `closing` declines
    (returns None), or another writer came first: a cancel seen both by the run's own hook
    and by the automation is handled once.
    """
    engine = store.database(STORE, create=False)
    if engine is None:
        return None
    query = select(APPROVAL.c.record).where(APPROVAL.c.run_id == run_id)
    with guarded(engine, "written"), engine.begin() as conn:
        text = conn.execute(query).scalar()
        before = None if text is None else record_from_json(text)
        after = None if before is None else closing(before)
        if after is None:
            return None
        statement = (
            update(APPROVAL)
            .where(APPROVAL.c.run_id == run_id, APPROVAL.c.record == text)
            .values(record=record_json(after), updated_at=now.isoformat())
        )
        return before if conn.execute(statement).rowcount else None
