"""The domain's typed errors, for the whole of sopcli (STYLE.md §4).

They are defined in the deadline core, which may not import the rest of the
project; this module is where everything else takes them from.
"""

from sopcli.deadlines.errors import DomainError, InvalidInput, RulebookError

__all__ = ["DomainError", "InvalidInput", "NotFound", "RegistryBusy", "RulebookError", "StepNotAllowed"]


class NotFound(DomainError):
    """An id the user named does not exist."""


class StepNotAllowed(DomainError):
    """The step is not allowed in the current state of the signal or case."""


class RegistryBusy(Exception):
    """Another program held the registry's write lock for the whole wait: nothing was written.

    Not a DomainError: the input was fine (exit 1, like any fault of the surroundings), but the
    secretary gets one Russian line that says what happened instead of an internal error."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"busy for {seconds:.0f} s")
        self.seconds = seconds
