"""The README's «Первый день» done twice (issue 33): with the commands as written, on registry A, and in `sopcli
screen` as a secretary does it, on registry B, Textual's pilot pressing the keys: the two signals through the new
signal's form («с»), the digest on the morning, the check («п»), the recognition («с») and the attachment («т») on
the signal's screen, the police's terms found («н»), the case opened. The two registries end the same: the digest,
the case and both signals read back through the commands are equal.

The answers typed are read from the README's own commands, so the test follows the README when it changes.
"""

from __future__ import annotations

from typing import Any

from tests.commands.test_screen import _run, _screen_text, settle
from tests.commands.test_screen_intake import _answer, _fill, _known, _open_form
from tests.commands.test_screen_signal import in_this_process, open_signal, step
from tests.conftest import ok, runner
from tests.stories.test_readme import readme_commands

#: what two registries doing the same thing at two moments must write differently: when each row was written (the
#: clock at the write, not a date typed), when the reading was made, and the audit chain's head — its hash seals
#: those moments, and its length counts the commands' own entries (the commands add the school by `agency add`,
#: the screen's form with the signal, one step fewer); nothing typed is here
WRITTEN_AT = {"created_at", "as_of", "generated_at", "recorded_at", "audit_heads"}


def options(args: list[str]) -> dict[str, list[str]]:
    """A command's options, each with its values (`--member ПДН --member опека`: two; a flag: none)."""
    out: dict[str, list[str]] = {}
    for n, word in enumerate(args):
        if word.startswith("--"):
            given = args[n + 1] if n + 1 < len(args) and not args[n + 1].startswith("--") else None
            out.setdefault(word, []).extend([given] if given is not None else [])
    return out


def unwritten(doc: Any) -> Any:
    """The doc without the moments of writing and reading (`WRITTEN_AT`), and without a term's own number: `agency
    add` opens the school's annual statistics term (fed.stat.annual) at once, before the first signal's terms; the
    school added with the signal has it opened by the next step, so the same terms are numbered in another order."""
    if isinstance(doc, dict):
        return {k: unwritten(v) for k, v in doc.items() if k not in WRITTEN_AT and not (k == "id" and "rule" in doc)}
    return [unwritten(x) for x in doc] if isinstance(doc, list) else doc


def _signal_answers(args: list[str], source: str) -> dict[str, str]:
    """`signal add`'s options as the form's fields (a parent per «;», the threat flag as «да»/«нет»)."""
    o = options(args)
    return {"received": o["--received"][0], "source": source, "channel": o["--channel"][0],
            "child": "; ".join(o["--child"]), "parents": "; ".join(o.get("--parent", [])),
            "problem": o["--problem"][0], "threat": "да" if "--threat" in o else "нет"}


def test_the_first_day_in_the_screen_ends_as_with_the_commands(sop, sop_env, tmp_path, monkeypatch):
    commands = [c[1:] for c in readme_commands("## Первый день")]
    a = runner({**sop_env, "SOPCLI_DB": str(tmp_path / "a" / "registry.db")})
    for args in commands:
        ok(a(*args))

    def command(*head: str) -> list[str]:
        return next(c for c in commands if c[:len(head)] == list(head))

    first, second = (c for c in commands if c[:2] == ["signal", "add"])
    school = command("agency", "add")[2]  # the school the first signal comes from, by the alias the README gives it
    kind = next(x["kind"] for x in a("agency", "list", "--json").json()["agencies"] if x["name"] == school)
    check, recognize, attach = options(command("check")), options(command("recognize")), options(
        command("signal", "attach"))
    police = a("deadlines", "--who", command("deadlines", "--who")[2], "--within", "3660", "--json").json()

    sop_env["SOPCLI_DB"] = str(tmp_path / "b" / "registry.db")
    ok(sop(*command("init")))  # the registry is made before the screen can open on it
    in_this_process(sop_env, monkeypatch)

    async def story(app, pilot) -> None:
        from textual.widgets import OptionList

        from sopcli.services.directory.agencies import KIND_LABELS

        # the first signal: the school is not in the directory yet; the form adds it with its kind, as the
        # terminal offers to (the screen has no key for `agency alias add`: the school is typed by its name)
        await _open_form(app, pilot)
        await _fill(app, pilot, _signal_answers(first, school))
        app.screen.query_one("#source").value = school  # «№» has no key the pilot can press: pasted, as it were
        await settle(app, pilot)
        await pilot.press("f2")
        await pilot.pause()
        said = await _answer(app, pilot, "#agency-kind", KIND_LABELS[kind])
        assert said.startswith("Сигнал № 1/2026 зарегистрирован (id 1).") and f"Источник: {school}" in said, said
        await pilot.press("escape")
        await settle(app, pilot)
        # `sopcli deadlines`: the morning, read again, shows its terms (none: the school's call fulfilled them)
        digest = sop("deadlines", "--json").json()["obligations"]
        assert [r["id"] for r in app.screen.lines if r] == [o["id"] for o in digest]
        assert _screen_text(app).startswith("Реестр: КДН и ЗП г. Йошкар-Олы")
        # the second signal: the same boy without his birth date, known to the registry; his line picked
        await _open_form(app, pilot)
        await _fill(app, pilot, _signal_answers(second, options(second)["--source"][0]))
        assert _known(app)[0].startswith("[x] Ребёнок №1 — лицо № 1: Орлов И. П., 01.03.2012"), _known(app)
        app.screen.query_one("#known", OptionList).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert _known(app)[0].startswith("[x]")
        await pilot.press("f2")
        await settle(app, pilot)
        said = _screen_text(app)
        assert said.startswith("Сигнал № 2/2026 зарегистрирован (id 2).") and "Уже известен" in said, said
        await pilot.press("escape")
        await settle(app, pilot)
        # the check and the recognition on the first signal's screen, its case opened from there
        await open_signal(app, pilot, "1/2026")
        said = await step(app, pilot, "п", concluded=check["--concluded"][0], level=check["--level"][0],
                          outcome=check["--outcome"][0])
        assert "Проверка сигнала №1/2026: уровень высокий, итог СОП." in said, said
        said = await step(app, pilot, "с", date=recognize["--date"][0], resolution=recognize["--resolution"][0],
                          curator=recognize["--curator"][0], members=", ".join(recognize["--member"]),
                          until="; ".join(recognize.get("--until", [])))
        assert "Открыто дело № 1 (постановление № 15-п)." in said, said
        await pilot.press("enter")
        await settle(app, pilot)
        assert a("case", "show", "1").out.splitlines()[0] in _screen_text(app)  # `sopcli case show 1`'s first line
        for _ in range(3):  # the case, the signal, the journal
            await pilot.press("escape")
            await settle(app, pilot)
        # the second signal attached to the case from its own screen
        await open_signal(app, pilot, "2/2026")
        said = await step(app, pilot, "т", case=attach["--to-case"][0], date=attach["--date"][0])
        assert "Сигнал № 2/2026 присоединён к делу № 1: отдельная проверка не проводится." in said, said
        for _ in range(2):  # the signal, the journal
            await pilot.press("escape")
            await settle(app, pilot)
        # `deadlines --who полиция`: the police found by the everyday word, its open terms
        await pilot.press("н")
        app.screen.query_one("#find").value = command("deadlines", "--who")[2]
        await settle(app, pilot)
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        text = _screen_text(app)
        assert text.startswith(f"Орган внутренних дел (ПДН): открытых сроков {len(police['obligations'])}, "), text

    _run(story)
    ok(sop(*command("agency", "alias", "add")))  # no key of the screen adds an alias: by the command, as written
    b = sop
    for args in (["deadlines"], ["deadlines", "--within", "3660"], ["case", "show", "1"], ["signal", "show", "1"],
                 ["signal", "show", "2"], ["person", "list"], ["agency", "list"]):
        shown, expected = (unwritten(x(*args, "--json").json()) for x in (b, a))
        assert shown == expected, args
    # the same steps, audited under the same commands (the school added by `signal add` itself, not `agency add`)
    audited = [sorted({e["command"] for e in x("audit", "list", "--json").json()["entries"]}) for x in (a, b)]
    assert audited[1] == [c for c in audited[0] if c != "agency add"], audited
