"""No function above cyclomatic complexity 20 (radon's measure): past it a reader cannot follow the steps."""

from __future__ import annotations

from radon.complexity import cc_visit

from tests.conftest import REPO

LIMIT = 20


def test_no_function_is_more_complex_than_a_reader_can_follow() -> None:
    over = []
    for folder in ("src", "bench", "scripts"):
        for path in sorted((REPO / folder).rglob("*.py")):
            for block in cc_visit(path.read_text(encoding="utf-8")):
                if block.complexity > LIMIT:
                    over.append(f"{path.relative_to(REPO)}:{block.lineno} {block.fullname} {block.complexity}")
    assert over == [], "split into named steps:\n" + "\n".join(over)
