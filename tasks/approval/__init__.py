"""Approval: takes a `PendingApproval` (schemas.approval), gives it back after a restart.

A report run waiting for the team lead's answer leaves no process behind, so the message it
previewed, whether the preview and the deadline run were already sent, and the decision are
kept in the state store (`store`), where a run resumed on any worker finds them.
"""

from tasks.approval.store import close_pending, load_pending, save_pending

__all__ = ["close_pending", "load_pending", "save_pending"]
