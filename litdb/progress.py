"""Progress reports the core sends while it works; the CLI draws them, or ignores them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    label: str
    done: int
    total: int | None
    unit: str  # "bytes" or "records"


ProgressCallback = Callable[[Progress], None]


def ignore_progress(_progress: Progress) -> None:
    return None
