"""The engine's clock: real time in production, movable in tests."""

import datetime
import threading


class Clock:
    def now(self):
        """Naive UTC now."""
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class ManualClock(Clock):
    """A clock that only moves when told (tests of waits, retries, timeouts)."""

    def __init__(self, start=None):
        self._now = start or Clock().now()
        self._lock = threading.Lock()

    def now(self):
        with self._lock:
            return self._now

    def advance(self, seconds):
        with self._lock:
            self._now += datetime.timedelta(seconds=seconds)
