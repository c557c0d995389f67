"""docs/cli.md stays what the app says, and every word of help a secretary reads is Russian (issue 16).

The model is sqlite-utils: `cog --check` fails CI when docs/cli-reference.rst is stale, and
tests/test_docs.py fails when a command has no help. Here the reference is regenerated in memory
by scripts/cli_reference.py and compared with the file; the fix is one command:
`python scripts/cli_reference.py`.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "cli_reference.py"

# Latin words a help text may carry: names of formats, programs and standards, and the shell's words
# in the one example the app's help gives (`completion`). Everything else Latin must be a code the
# app accepts (it stands in parentheses after its Russian word somewhere in the help), a command's
# name, a file suffix, an option, an abbreviation or a code with digits, dots or colons (fed.threat, 5wd).
NAMES = {
    "URL", "SQLite", "PostgreSQL", "XLSX", "DOCX", "CSV", "JSON", "TOML", "iCalendar", "Word", "Outlook",
    "Thunderbird", "cron", "bash", "zsh", "eval", "sopcli", "id", "none", "immediate",
}
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_CODE_LIST = re.compile(r"\(([^()]*)\)")


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("cli_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fixed(monkeypatch, script):
    """The generator's fixed width and locale, undone after the test (fix_environment would keep them)."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.delenv("SOPCLI_COMMISSION", raising=False)
    monkeypatch.setattr(script, "fix_environment", lambda: None)
    return script


@pytest.fixture(scope="module")
def helps(script):
    """(where, help) for every command and every visible parameter of the app."""
    out = []
    for path, cmd, _ in script.tree():
        out.append((" ".join(path), cmd.help))
        out += [(f"{' '.join(path)} {p.opts[0] if p.opts else p.name}", getattr(p, "help", None))
                for p in cmd.params if not getattr(p, "hidden", False)]
    return out


def test_docs_cli_md_is_what_the_app_says(fixed):
    expected = fixed.reference()
    current = fixed.TARGET.read_text("utf-8")
    assert current == expected, "docs/cli.md устарел: обновите его командой python scripts/cli_reference.py"


def test_check_exits_1_with_a_diff_when_the_page_is_stale(fixed, tmp_path, monkeypatch, capsys):
    page = tmp_path / "cli.md"
    monkeypatch.setattr(fixed, "TARGET", page)
    page.write_text("# старая страница\n", "utf-8")
    assert fixed.main(["--check"]) == 1
    out, err = capsys.readouterr()
    assert "-# старая страница" in out and "+### sopcli signal add" in out
    assert "python scripts/cli_reference.py" in err
    assert fixed.main([]) == 0 and fixed.main(["--check"]) == 0


def test_the_reference_names_every_command_option_and_a_readme_example(fixed):
    text = fixed.TARGET.read_text("utf-8")
    for path, cmd, _ in fixed.tree()[1:]:
        assert f"#{'#' * min(len(path) - 1, 3)} {' '.join(path)}\n" in text
        for p in cmd.params:
            assert fixed.label_of(p).split(" / ")[0] in text
    for line in ("sopcli agency alias add \"пятая школа\" --to \"МБОУ СОШ № 5\"",
                 "sopcli calendar due 01.11.2024 5wd"):
        assert f"```bash\n{line}" in text
    assert "переменная окружения: `SOPCLI_COMMISSION`" in text
    assert "коды: `flat`, `house`" in text  # a vocabulary's codes, read from its completion


def test_every_command_and_parameter_has_help(helps):
    missing = [where for where, text in helps if not (text or "").strip()]
    assert not missing, f"нет справки: {missing}"


def test_every_help_is_russian(helps):
    latin = [where for where, text in helps if text and not _CYRILLIC.search(text)]
    assert not latin, f"справка не по-русски: {latin}"


def english_words(text: str, allowed: set[str]) -> list[str]:
    """The Latin words of a help text a reader would take for English: not a code, name or option."""
    text = re.sub(r"`[^`]*`|\"[^\"]*\"|\[\[\w+\]\]", " ", text)  # code spans, typed examples, TOML tables
    text = re.sub(r"(?<![\w-])-{1,2}[a-z][\w-]*|\bSOPCLI_\w+|[\w~/-]*\.[a-z]{2,4}\b", " ", text)
    words = []
    for token in re.findall(r"[A-Za-zА-Яа-яЁё0-9_.:/=~-]+", text):
        token = token.strip(".:")
        if not re.search(r"[A-Za-z]", token) or _CYRILLIC.search(token) or re.search(r"[\d.:/=_-]", token):
            continue  # Russian, a number, or a code (5wd, fed.threat, until:10.01, not-done, Europe/Moscow)
        if token in allowed or token in NAMES or (token.isupper() and len(token) <= 3):
            continue
        words.append(token)
    return words


def test_no_english_words_in_help(helps, script):
    codes = {w.strip() for _, text in helps for group in _CODE_LIST.findall(text or "")
             if not _CYRILLIC.search(group) for w in group.split(",")}
    names = {word for path, _, _ in script.tree() for word in path}
    english = {where: words for where, text in helps if (words := english_words(text or "", codes | names))}
    assert not english, f"английские слова в справке: {english}"


def test_the_english_check_finds_english():
    allowed = {"journal", "show"}
    assert english_words("Show this message and exit.", allowed) == ["Show", "this", "message", "and", "exit"]
    assert english_words("Output file (default: stdout).", allowed) == ["Output", "file", "default", "stdout"]
    assert english_words("Журнал (journal); срок 5wd, fed.threat; файл .xlsx, --json, `any code`; XLSX, TA.",
                         allowed) == []


def test_every_environment_variable_is_documented(script):
    used = {m for f in (ROOT / "src" / "sopcli").rglob("*.py")
            for m in re.findall(r"(?<![\w])SOPCLI_[A-Z_]+", f.read_text("utf-8"))}
    assert used - set(script.ENVIRONMENT) == set(), "опишите переменную в ENVIRONMENT scripts/cli_reference.py"


def test_every_path_docs_architecture_names_exists():
    """docs/architecture.md tells a newcomer where things go: each file or folder it names is there."""
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    named = {p for p in re.findall(r"`([\w./-]+/[\w./-]*|[\w-]+\.(?:py|toml|md))`", text) if "<" not in p}
    bases = [ROOT, ROOT / "src" / "sopcli", ROOT / "src" / "sopcli" / "services", ROOT / "src" / "sopcli" / "services"
             / "files_in", ROOT / "docs"]
    missing = sorted(p for p in named if p != "STYLE.md" and not any((b / p).exists() for b in bases))
    assert not missing, f"docs/architecture.md называет то, чего нет: {missing}"
