"""Draw the secretary's screen for the README: the morning and a case's card, as SVG the app saves itself.

Usage: .venv/bin/python scripts/screen_pictures.py [OUTDIR]     (default: docs/)

Builds a small registry through the CLI in a temporary folder (a boy's signal, his check, recognition and
programme; a school's signal on a girl), opens `sopcli screen` headless at 80×24 today (the registry is
written today: at a past moment it would be empty) and saves the morning, then the boy's case. Re-run it
whenever the screen changes.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests/ holds the isolated environment and the process runner

STEPS = [
    ("init", "--new", "--municipality", "г. Йошкар-Ола"),
    ("agency", "add", "МБОУ СОШ № 5", "--kind", "школа"),
    ("signal", "add", "--received", "02.11.2026 09:40", "--source", "ПДН", "--child", "Орлов Иван Петрович, 01.03.2012",
     "--parent", "Орлова Анна Ивановна", "--problem", "Не ночует дома", "--threat"),
    ("check", "1", "--concluded", "06.11.2026", "--level", "высокий", "--outcome", "СОП"),
    ("recognize", "1", "--date", "10.11.2026", "--resolution", "15-п", "--curator", "Петрова А.В.",
     "--member", "ПДН", "--member", "опека", "--until", "10.05.2027"),
    ("plan", "add", "1", "--measure", "Профилактическая беседа с родителями", "--executor", "ПДН",
     "--due", "20.11.2026"),
    ("plan", "add", "1", "--measure", "Обследование условий жизни", "--executor", "опека", "--due", "04.12.2026"),
    ("plan", "approve", "1", "--date", "11.11.2026", "--resolution", "16-п"),
    ("signal", "add", "--received", "26.11.2026 14:00", "--source", "МБОУ СОШ № 5", "--child",
     "Белова Ольга Николаевна, 05.05.2013", "--problem", "Пропуски занятий", "--no-threat"),
]


def main(out: Path) -> None:
    from tests import forkserver
    from tests.conftest import private_env

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sopcli-screen-") as tmp:
        env = {**private_env(Path(tmp)), "SOPCLI_DB": str(Path(tmp) / "registry.db")}
        for step in STEPS:
            code, _out, err = forkserver.run(step, env, timeout=120)
            if code:
                sys.exit(f"sopcli {' '.join(step)}: {err.strip()}")
        os.environ.update(env)
        from sopcli.services.unit_of_work import state

        state["db"] = env["SOPCLI_DB"]
        asyncio.run(_draw(out))


async def _draw(out: Path) -> None:
    from sopcli.screen.app import SopApp

    app = SopApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(app.save_screenshot("screen-morning.svg", str(out)))
        table = app.screen.query_one("#terms")
        table.move_cursor(row=next(n for n, o in enumerate(app.screen.lines) if o and o.get("case")))
        await pilot.press("enter")
        await app.workers.wait_for_complete()  # the case's screen reads in its thread
        await pilot.pause()
        print(app.save_screenshot("screen-case.svg", str(out)))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
