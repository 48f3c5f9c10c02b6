"""Keep a `PendingApproval` as JSON in the state folder: the message with its bytes in base64."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from schemas.approval import Decision, PendingApproval
from schemas.mail import Attachment, Message
from tasks._files import write_atomic

FOLDER = "approvals"


def _path(state_dir: Path, run_id: str) -> Path:
    return state_dir / FOLDER / f"{run_id}.json"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _message_json(m: Message) -> dict[str, Any]:
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
    }


def _message(d: dict[str, Any]) -> Message:
    return Message(
        to=tuple(d["to"]),
        subject=d["subject"],
        html=d["html"],
        text=d["text"],
        sender=d["sender"],
        inline_images={cid: base64.b64decode(v) for cid, v in d["inline_images"].items()},
        attachments=tuple(Attachment(n, base64.b64decode(c), t) for n, c, t in d["attachments"]),
        report_key=d["report_key"],
        headers=d["headers"],
    )


def _decision_json(d: Decision | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {**d.__dict__, "decided_at": d.decided_at.isoformat()}


def _decision(d: dict[str, Any] | None) -> Decision | None:
    if d is None:
        return None
    return Decision(d["send"], d["note"], d["by_default"], datetime.fromisoformat(d["decided_at"]))


def save_pending(state_dir: Path, pending: PendingApproval) -> Path:
    """Write (or overwrite) the run's record atomically; return its path."""
    payload = {
        **pending.__dict__,
        "message": _message_json(pending.message),
        "deadline": pending.deadline.isoformat(),
        "decision": _decision_json(pending.decision),
        "delivered_to": list(pending.delivered_to),
    }
    text = json.dumps(payload, ensure_ascii=False, indent=1)
    return write_atomic(_path(state_dir, pending.run_id), text.encode("utf-8"))


def load_pending(state_dir: Path, run_id: str) -> PendingApproval | None:
    """The record of run `run_id`, or None when this run has not previewed anything yet."""
    try:
        raw = json.loads(_path(state_dir, run_id).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return PendingApproval(
        **{
            **raw,
            "message": _message(raw["message"]),
            "deadline": datetime.fromisoformat(raw["deadline"]),
            "decision": _decision(raw["decision"]),
            "delivered_to": tuple(raw["delivered_to"]),
        }
    )
