"""The one HTTP session litdb uses for NCBI: identity, timeouts, a shared rate limit, retries.

NCBI allows 3 requests per second per IP address without an API key and 10 with one; a client
that goes over gets HTTP 429. Every request kind (esearch, efetch, elink) waits on the same
``RateLimiter``, so litdb stays under the limit however the work is mixed.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from litdb import __version__

REQUESTS_PER_SECOND_WITHOUT_KEY = 3
REQUESTS_PER_SECOND_WITH_KEY = 10


class RateLimiter:
    """Spaces requests at least ``1 / rate`` seconds apart (plus a small margin), thread-safe.

    A 429 answer pushes the next permitted request back by ``Retry-After`` seconds.
    """

    MARGIN_SECONDS = 0.01

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate + self.MARGIN_SECONDS
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            if now < self._next:
                self._sleep(self._next - now)
                now = self._next
            self._next = now + self.interval

    def hold(self, seconds: float) -> None:
        """Let no request go for ``seconds`` from now (the server asked us to back off)."""
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter: wait a random time up to base * 2**attempt."""

    attempts: int = 6
    base_seconds: float = 1.0
    max_seconds: float = 30.0
    jitter: Callable[[], float] = field(default=random.random)

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (0 for the first)."""
        ceiling = min(self.max_seconds, self.base_seconds * (2**attempt))
        return ceiling * (0.5 + 0.5 * self.jitter())


@dataclass(frozen=True)
class Identity:
    """Who is asking: NCBI wants ``tool`` and ``email`` on every request, ``api_key`` if any."""

    tool: str = "litdb"
    email: str | None = None
    api_key: str | None = None

    def params(self) -> dict[str, str]:
        params = {"tool": self.tool}
        if self.email:
            params["email"] = self.email
        if self.api_key:
            params["api_key"] = self.api_key
        return params

    @property
    def rate(self) -> int:
        return REQUESTS_PER_SECOND_WITH_KEY if self.api_key else REQUESTS_PER_SECOND_WITHOUT_KEY


def make_session(identity: Identity) -> requests.Session:
    session = requests.Session()
    contact = f" (mailto:{identity.email})" if identity.email else ""
    session.headers["User-Agent"] = f"litdb/{__version__}{contact}"
    return session
