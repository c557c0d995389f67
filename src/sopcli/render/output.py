"""One JSON document on stdout, messages on stderr (CLI.md)."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Any


def _default(obj: Any) -> Any:
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    raise TypeError(type(obj).__name__)


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=_default) + "\n")


def warn(message: str) -> None:
    sys.stderr.write(message + "\n")


def console() -> Any:
    """A rich console; imported here so commands that print plain text skip it."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)
