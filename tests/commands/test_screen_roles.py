"""`sopcli screen` on a shared PostgreSQL registry (issue 33 §6): under a commission's own login it shows that
commission's terms, journal and people only, as its commands do; the region's role sees every commission's.

The registry is test_commissions' `shared`: commissions «Город А» and «Город Б», one signal each (Аверин in А,
Борисов in Б). The app runs in this process with the login's URL as its registry, as `sopcli --db URL screen`.
"""

from __future__ import annotations

import pytest

from tests.commands.test_screen import _run, _screen_text, settle
from tests.services.trust.test_commissions import _login, pg_url, shared  # noqa: F401 - the fixtures


@pytest.fixture
def as_login(monkeypatch, pg_url, shared):  # noqa: F811
    """The screen's registry set to a role's own login (`--db` with that role's URL)."""
    from sopcli.services.unit_of_work import state

    env, _run_cli, roles = shared
    for key, value in env.items():
        monkeypatch.setenv(key, value)

    def login(who: str) -> None:
        url = _login(pg_url, roles[who]["role"], roles[who]["password"])
        monkeypatch.setitem(state, "db", url)
        monkeypatch.setenv("SOPCLI_DB", url)

    return login


def _seen_as(as_login, who: str) -> dict[str, str]:
    """Under `who`'s login: the morning, the journal of 2026, and the finding of «аверин» (А) and «борисов» (Б)."""
    as_login(who)
    seen: dict[str, str] = {}

    async def story(app, pilot) -> None:
        seen["morning"] = _screen_text(app)
        await pilot.press("ж")
        await settle(app, pilot)
        seen["journal"] = _screen_text(app)
        await pilot.press("escape", "н")
        await settle(app, pilot)
        for typed in ("аверин", "борисов"):
            app.screen.query_one("#find").value = typed
            await settle(app, pilot)
            seen[typed] = _screen_text(app)

    _run(story)
    return seen


def test_a_commissions_login_sees_its_own_terms_journal_and_people_only(as_login):
    seen = _seen_as(as_login, "gorod-a")
    assert "Реестр: КДН и ЗП" in seen["morning"] and "сигнал 1/2026" in seen["morning"]
    assert "Журнал 2026 года: сигналов 1," in seen["journal"]
    assert "Аверин Антон Андреевич" in seen["journal"] and "Борисов" not in seen["journal"]
    assert "Аверин Антон Андреевич" in seen["аверин"]
    assert "Борисов" not in seen["борисов"] and "Ничего не найдено" in seen["борисов"]


def test_the_regions_role_sees_every_commission(as_login):
    seen = _seen_as(as_login, "region")
    assert "регион (сводно)" in seen["morning"]
    assert "Журнал 2026 года: сигналов 2," in seen["journal"]
    assert "Аверин Антон Андреевич" in seen["аверин"] and "Борисов Борис Борисович" in seen["борисов"]
