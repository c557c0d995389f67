"""The layout a newcomer reads: folders small enough to scan, named for what they hold (issue 16)."""

from __future__ import annotations

from tests.conftest import REPO

LIMIT = 12
# commands/ has one module per command group the secretary sees; migrations/versions/ is history, read by number
EXEMPT = {"sopcli/commands", "sopcli/migrations/versions"}


def test_no_folder_of_the_package_holds_more_than_twelve_modules() -> None:
    src = REPO / "src"
    crowded = {}
    for folder in [p for p in (src / "sopcli").rglob("*") if p.is_dir() and (p / "__init__.py").exists()]:
        name = str(folder.relative_to(src))
        modules = [m.name for m in folder.glob("*.py") if m.name != "__init__.py"]
        if name not in EXEMPT and len(modules) > LIMIT:
            crowded[name] = len(modules)
    assert crowded == {}, f"group these folders' modules (at most {LIMIT}): {crowded}"


def test_services_import_nothing_of_the_commands() -> None:
    """Data flows one way (docs/architecture.md): a service the commands call must not call them back."""
    back = [str(p.relative_to(REPO)) for p in (REPO / "src" / "sopcli" / "services").rglob("*.py")
            if "sopcli.commands" in p.read_text(encoding="utf-8")]
    assert back == []
