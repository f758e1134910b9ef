"""What a change to a web ACL does to the same requests: every request whose
action or terminating rule changes, with both results, and the count of
each transition ("ALLOW->BLOCK")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .results import Result


@dataclass(frozen=True)
class Change:
    index: int
    old: Result
    new: Result

    @property
    def transition(self) -> str:
        return f"{self.old.action}->{self.new.action}"

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "old": self.old.to_dict(), "new": self.new.to_dict()}


@dataclass(frozen=True)
class Diff:
    changes: tuple[Change, ...]
    requests: int

    @property
    def transitions(self) -> dict[str, int]:
        return dict(Counter(c.transition for c in self.changes).most_common())

    def to_dict(self) -> dict[str, Any]:
        return {"changes": [c.to_dict() for c in self.changes], "transitions": self.transitions}


def diff_results(old: Sequence[Result], new: Sequence[Result]) -> Diff:
    """Changes between two evaluations of the same requests."""
    if len(old) != len(new):
        raise ValueError("both evaluations must cover the same requests")
    changes = tuple(
        Change(o.index, o, n)
        for o, n in zip(old, new, strict=True)
        if o.action != n.action or o.terminating_rule_id != n.terminating_rule_id
    )
    return Diff(changes, len(old))
