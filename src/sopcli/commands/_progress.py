"""Progress bars on stderr for a person at a terminal; nothing at all under cron or in a pipe."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sopcli.progress import SILENT, Progress


def wanted() -> bool:
    """Bars only where a person watches: stderr is a terminal and the terminal is not `dumb`."""
    return sys.stderr.isatty() and os.environ.get("TERM", "") != "dumb"


class _Bars:
    """One rich task per stage: counts, and the time left once the total is known."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar
        self._task: Any = None

    def stage(self, title: str, total: int | None = None) -> None:
        if self._task is not None:
            self._bar.update(self._task, visible=False)
        self._task = self._bar.add_task(title, total=total)

    def advance(self, done: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, done)


def _columns() -> tuple[type, type]:
    """The count and the time left, each shown only when the stage's size is known (no «0/?», no bare «осталось»)."""
    from rich.progress import MofNCompleteColumn, ProgressColumn, TimeRemainingColumn
    from rich.text import Text

    class Count(ProgressColumn):
        def render(self, task: Any) -> Text:
            if task.total is None:
                return Text(f"{int(task.completed)}", style="progress.download")
            return MofNCompleteColumn().render(task)

    class Left(ProgressColumn):
        def render(self, task: Any) -> Text:
            if task.total is None:
                return Text("")
            return Text.assemble("осталось ", TimeRemainingColumn().render(task))

    return Count, Left


@contextmanager
def bars() -> Iterator[Progress]:
    """A `Progress` for the services: rich bars on a terminal, `SILENT` otherwise.

    The bars are transient: when the work ends only the command's own result
    stays on the screen.
    """
    if not wanted():
        yield SILENT
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn

    _Count, _Left = _columns()

    columns = (TextColumn("{task.description}"), BarColumn(), _Count(), _Left())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        yield _Bars(bar)
