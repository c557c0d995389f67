"""The installed package holds every module: pyproject lists packages by hand (templates/ is mapped into it)."""

from __future__ import annotations

import tomllib

from tests.conftest import REPO


def test_every_source_package_is_listed_in_pyproject() -> None:
    """A package missing from the list installs fine in editable mode and is absent from a wheel."""
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    src = REPO / "src"
    found = {".".join(init.parent.relative_to(src).parts) for init in src.glob("sopcli/**/__init__.py")}
    assert found - listed == set(), f"not in pyproject's packages: {sorted(found - listed)}"
