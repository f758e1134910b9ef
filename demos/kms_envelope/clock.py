"""A simulated clock that only moves when told to."""

from datetime import UTC, datetime, timedelta

from .rules import EPOCH_ISO


class SimClock:
    """Time as the simulator sees it; `advance()` is the only way it moves."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start if start is not None else datetime.fromisoformat(EPOCH_ISO)
        if self._now.tzinfo is None:
            self._now = self._now.replace(tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(
        self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0
    ) -> datetime:
        step = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        if step < timedelta(0):
            raise ValueError("SimClock.advance: time only moves forward")
        self._now += step
        return self._now

    def __repr__(self) -> str:
        return f"SimClock({self._now.isoformat()})"
