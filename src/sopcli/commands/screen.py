"""`sopcli screen`: the morning digest, a case and marking a term done in one full-screen terminal app."""

from __future__ import annotations

from sopcli.commands._options import AsOfOpt


def screen(as_of: AsOfOpt = None) -> None:
    """Экран секретаря: утренняя сводка, карточка дела, отметка исполнения — клавишами (подписи внизу)."""
    from sopcli.commands._common import as_of as parse_as_of
    from sopcli.commands._common import at_terminal, reading
    from sopcli.errors import InvalidInput

    if not at_terminal():  # a full-screen app in a pipe or under cron would hang or print escape codes
        raise InvalidInput("Экран открывается только в терминале; для сценариев — sopcli deadlines --json.")
    with reading() as r:  # the registry must be there, and --as-of is read as every command reads it
        at = parse_as_of(as_of, r.tz) if as_of is not None else None
    from sopcli.screen.app import SopApp

    SopApp(at).run()
