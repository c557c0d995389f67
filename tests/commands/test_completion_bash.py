"""Tab completion in a real bash (issue 32 §5): a name of several words is offered as one shell word, and the
everyday words `--who` understands («опека», «полиция») are offered too.

The script is the one `sopcli completion bash` prints, evaluated by bash itself; the last test types at a
terminal (tmux) as the secretary does: `--who ГБУ`, Tab, Enter.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ok
from tests.tmux import tmux

CENTRE = "ГБУ РМЭ «Центр социальной помощи семье и детям»"
BIN = Path(sys.executable).parent


@pytest.fixture
def directory(sop, sop_env, tmp_path):
    sop_env["SOPCLI_DB"] = str(tmp_path / "registry.db")
    ok(sop("init", "--new"))
    ok(sop("agency", "add", CENTRE, "--kind", "соцзащита"))
    ok(sop("agency", "add", "МБОУ СОШ № 5", "--kind", "школа"))
    ok(sop("agency", "add", "МБОУ СОШ № 7", "--kind", "школа"))
    return sop_env


def _offers(env: dict[str, str], *words: str) -> list[str]:
    """What bash puts in COMPREPLY for the command line `words` (the last one being completed), and each offer
    as the shell reads it back once inserted: `set -- OFFER` must make exactly one argument."""
    script = f"""
eval "$(sopcli completion bash)"
COMP_WORDS=({" ".join(_sh(w) for w in words)})  # as bash splits a line: a quoted word stays one, quote and all
COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))
_sopcli_completion sopcli
for offer in "${{COMPREPLY[@]}}"; do
  eval "set -- $offer"
  printf '%s\\t%s\\n' "$#" "$1"
done
"""
    env = {**env, "PATH": f"{BIN}:/usr/bin:/bin"}
    run = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    rows = [x.split("\t", 1) for x in run.stdout.splitlines()]
    assert all(n == "1" for n, _ in rows), rows  # every offer is one word on the command line
    return [w for _, w in rows]


def _sh(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def test_a_name_of_several_words_is_offered_as_one_shell_word(directory):
    assert _offers(directory, "sopcli", "deadlines", "--who", "ГБУ") == [CENTRE]
    assert _offers(directory, "sopcli", "deadlines", "--who", "МБОУ") == ["МБОУ СОШ № 5", "МБОУ СОШ № 7"]
    # an opening quote typed by the secretary still completes
    assert _offers(directory, "sopcli", "deadlines", "--who", "'ГБУ РМЭ «Ц") == [CENTRE]


def test_everyday_words_are_offered(directory):
    assert "опека" in _offers(directory, "sopcli", "deadlines", "--who", "оп")
    assert _offers(directory, "sopcli", "remind", "--who", "полиц") == ["полиция"]
    assert "соцзащита" in _offers(directory, "sopcli", "deadlines", "--who", "соц")


def test_fixed_words_and_commands_still_complete(directory):
    assert _offers(directory, "sopcli", "signal", "add", "--channel", "тел") == ["телефон"]
    assert "signal" in _offers(directory, "sopcli", "sig")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tab_then_enter_at_a_terminal_runs_the_digest_of_that_agency(directory, tmp_path):
    rc = tmp_path / "bashrc"
    rc.write_text(f'export PATH="{BIN}:$PATH"\neval "$(sopcli completion bash)"\nPS1="$ "\n', "utf-8")
    with tmux(f"sopcli-completion-{tmp_path.name}", f"bash --rcfile {rc} --noprofile", {**directory, "NO_COLOR": "1"},
              size=(160, 40)) as term:
        term.wait_for("$")
        term.keys("sopcli deadlines --who ГБУ", "Tab")
        term.wait_for("детям»")
        term.keys("Enter")
        screen = term.wait_for("Сроки на ")
    assert f"sopcli deadlines --who '{CENTRE}'" in screen
    assert "Нет такой команды" not in screen and "Ошибка" not in screen, screen
