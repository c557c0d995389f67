"""The domain's typed errors, for the whole of sopcli (STYLE.md §4).

They are defined in the deadline core, which may not import the rest of the
project; this module is where everything else takes them from.
"""

from sopcli.deadlines.errors import DomainError, InvalidInput, RulebookError

__all__ = ["DomainError", "InvalidInput", "NotFound", "RulebookError", "StepNotAllowed"]


class NotFound(DomainError):
    """An id the user named does not exist."""


class StepNotAllowed(DomainError):
    """The step is not allowed in the current state of the signal or case."""
