"""Typed domain errors.

They live inside the deadline core because the core must not import anything
of the project outside `deadlines/`; the rest of sopcli re-exports them from
`sopcli.errors`. Every message is one Russian line meant for the secretary: the
CLI prints it as is and exits with code 2.
"""


class DomainError(Exception):
    """Input or a step refused by the domain; `str(err)` is the Russian message."""

    def __init__(self, message: str) -> None:
        # One line, always: input echoed in a message may carry newlines or escapes.
        message = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in message)
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """The user typed something the domain cannot accept (date, term, option)."""


class RulebookError(DomainError):
    """The packaged or a user's rulebook is inconsistent: a defect, not bad input."""


def shown(text: str, limit: int = 60) -> str:
    """User input as it may be echoed in a one-line message: no control characters, bounded."""
    flat = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
