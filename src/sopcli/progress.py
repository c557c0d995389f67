"""Progress of long work, told without knowing who listens.

Services that run for seconds to minutes (backup, restore, bank import,
reconciliation, a complex's import, a schema upgrade) take a `Progress`
callback and call it as they go; they never touch the terminal. The commands
hand them `commands._progress.bars()` on a terminal and `SILENT` under cron or
in a pipe, so a digest mailed by cron never carries control characters.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """What long work reports: a stage (Russian, for the screen), its size when known, and steps done."""

    def stage(self, title: str, total: int | None = None) -> None:
        """A new stage starts: `title` on the screen, `total` units of work (None: unknown)."""

    def advance(self, done: int = 1) -> None:
        """`done` more units of the current stage are finished."""


class _Silent:
    """Nobody listens: the cron job, the pipe, the tests of the services."""

    def stage(self, title: str, total: int | None = None) -> None:
        return None

    def advance(self, done: int = 1) -> None:
        return None


SILENT: Progress = _Silent()
