"""Typed domain errors.

They live inside the deadline core because the core must not import anything
of the project outside `deadlines/`; the rest of sopcli re-exports them from
`sopcli.errors`. Every message is one Russian line meant for the secretary: the
CLI prints it as is and exits with code 2.
"""


class DomainError(Exception):
    """Input or a step refused by the domain; `str(err)` is the Russian message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """The user typed something the domain cannot accept (date, term, option)."""


class RulebookError(DomainError):
    """The packaged or a user's rulebook is inconsistent: a defect, not bad input."""
