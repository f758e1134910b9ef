"""Value objects the display API accepts besides plain Python data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Tone = Literal["neutral", "ok", "info", "warn", "danger"]
TONES: tuple[str, ...] = get_args(Tone)


@dataclass(frozen=True)
class Badge:
    """A short label with a tone; shown alone or as a table cell or panel value."""

    text: str
    tone: Tone = "neutral"

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise TypeError(f"badge(): text must be a str, not {type(self.text).__name__}")
        if self.tone not in TONES:
            raise ValueError(f"badge(): tone {self.tone!r} is not one of {', '.join(TONES)}")


@dataclass(frozen=True)
class Mermaid:
    """Mermaid source for a diagram; the page draws it with the site's own Mermaid."""

    source: str

    def __post_init__(self) -> None:
        if not isinstance(self.source, str):
            raise TypeError(f"mermaid(): source must be a str, not {type(self.source).__name__}")


def badge(text: str, tone: Tone = "neutral") -> Badge:
    """Make a badge: `show(badge("public", "danger"))` or use it as a cell."""
    return Badge(text, tone)


def mermaid(source: str) -> Mermaid:
    """Wrap Mermaid source so that `show()` draws it as a diagram."""
    return Mermaid(source)
