"""A progress bar on a terminal's stderr; nothing at all when quiet or not a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from litdb.progress import Progress as CoreProgress
from litdb.progress import ProgressCallback, ignore_progress


def _amount(task) -> str:
    """``1,500/5,000 records 120/s`` or ``3.1/12.0 MB 2.4 MB/s``, by the task's unit."""
    unit = task.fields.get("unit", "records")
    speed = task.speed or 0.0
    if unit == "bytes":
        total = f"{task.total / 1e6:.1f}" if task.total else "?"
        return f"{task.completed / 1e6:.1f}/{total} MB {speed / 1e6:.1f} MB/s"
    total = f"{int(task.total):,}" if task.total else "?"
    return f"{int(task.completed):,}/{total} records {speed:.0f}/s"


def wants_progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress_bar(quiet: bool) -> Iterator[ProgressCallback]:
    """A callback for the core's progress reports, drawn as bars on stderr when useful."""
    if not wants_progress(quiet):
        yield ignore_progress
        return
    # rich loads only when a bar is drawn: most runs (scripts, pipes) never need it
    from rich.console import Console
    from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class AmountColumn(ProgressColumn):
        def render(self, task) -> Text:
            return Text(_amount(task))

    tasks: dict[tuple[str, str], object] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        AmountColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:

        def report(update: CoreProgress) -> None:
            key = (update.unit, update.label)
            if key not in tasks:
                tasks[key] = bar.add_task(update.label, total=update.total, unit=update.unit)
            bar.update(tasks[key], completed=update.done, total=update.total)

        yield report
