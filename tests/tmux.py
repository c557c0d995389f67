"""A terminal a person types at, for the tests that need one: tmux on its own server, keys sent, the screen read."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


class Tmux:
    def __init__(self, name: str) -> None:
        self.name = name

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "-L", self.name, "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "-L", self.name, "capture-pane", "-p", "-t", self.name], capture_output=True,
                              text=True).stdout

    def wait_for(self, text: str, seconds: float = 15) -> str:
        """The screen once `text` is on it; fails with the screen as it is when it never comes."""
        shown = ""
        for _ in range(int(seconds * 10)):
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"«{text}» never appeared:\n{shown}")


@contextmanager
def tmux(name: str, command: str, env: dict[str, str], size: tuple[int, int] = (80, 24)) -> Iterator[Tmux]:
    """`command` running in a new tmux of `size` columns × rows, killed at the end."""
    subprocess.run(["tmux", "-L", name, "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]),
                    command], env=env, check=True)
    try:
        yield Tmux(name)
    finally:
        subprocess.run(["tmux", "-L", name, "kill-server"], check=False, capture_output=True)
