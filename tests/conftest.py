"""Shared fixtures: a private config/cache per test and the real CLI as a process."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]  # the repository: tests find bench/ and README.md from it
SHARED = REPO.parent / "shared"  # the seeds and design notes, beside the repository as CI places them


# the agencies the registry tests name most, as the rulebook spells them
PDN = "Орган внутренних дел (ПДН)"
SOCIAL = "Орган социальной защиты населения"
EDU = "Орган управления образованием"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


def threat(args: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """`--no-threat` unless `args` answer it: a script must say whether there is a threat (issue 32 §2)."""
    return () if {"--threat", "--no-threat"} & set(args) else ("--no-threat",)


def ok(result: Result) -> Result:
    """A step that must succeed: its stderr is the message when it does not."""
    assert result.code == 0, result.err
    return result


def refused(result: Result, *fragments: str) -> Result:
    """Bad input: exit 2 and one line on stderr that says what (STYLE.md), carrying each fragment."""
    assert result.code == 2, (result.out, result.err)
    assert len(result.err.strip().splitlines()) == 1, result.err
    for fragment in fragments:
        assert fragment in result.err, result.err
    return result


def bench_script(name: str) -> ModuleType:
    """A script of bench/ loaded as a module, once: tests build registries with the benchmark's own generator,
    so a migration that breaks it fails a test instead of the next benchmark run."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
    return sys.modules[name]


def private_env(home: Path) -> dict[str, str]:
    """Environment for one isolated user under `home`: own config, cache and data folders, no colours."""
    env = dict(os.environ)
    env["SOPCLI_CONFIG_DIR"] = str(home / "config")
    env["SOPCLI_CACHE_DIR"] = str(home / "cache")
    for xdg in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[xdg] = str(home / xdg.lower())  # never the user's real registry
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    env.pop("SOPCLI_DB", None)
    return env


def drain(master: int) -> bytes:
    """Everything a child wrote to the pseudo-terminal `master` until it closed its side.

    Read while the child runs: a terminal's buffer is small, and a child writing more than it holds
    would wait for a reader forever."""
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


@pytest.fixture
def sop_env(tmp_path: Path) -> dict[str, str]:
    """Environment for one isolated user: own config and cache folders."""
    return private_env(tmp_path)


def runner(env: dict[str, str]):
    """`run(*args)`: `sopcli ARGS…` as a real process (`python -m sopcli`, see tests/forkserver.py) in `env`,
    captured."""
    from tests import forkserver

    def run(*args: str, stdin: str | None = None) -> Result:
        return Result(*forkserver.run(args, env, stdin, timeout=120))

    return run


@pytest.fixture
def sop(sop_env: dict[str, str]):
    """The CLI for one isolated user (see `runner`)."""
    return runner(sop_env)


@pytest.fixture(scope="session")
def federal():
    from sopcli.deadlines import FederalData

    return FederalData.from_package()


@pytest.fixture(scope="session")
def cal(federal):
    from sopcli.deadlines import WorkCalendar

    return WorkCalendar(federal)


@pytest.fixture(scope="session")
def msk():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Moscow")


def pg_admin(suite: str = "registry") -> str:
    """The PostgreSQL server the tests may create databases on (SOPCLI_TEST_PG).

    Without one a test is skipped on a developer's machine but fails on CI: a CI run
    that silently skipped PostgreSQL would pass while proving nothing about it."""
    admin = os.environ.get("SOPCLI_TEST_PG")
    if not admin:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the {suite} suite on PostgreSQL: SOPCLI_TEST_PG is not set")
        pytest.skip("no PostgreSQL (SOPCLI_TEST_PG); ./test.sh starts one")
    return admin


@contextmanager
def throwaway_database(prefix: str = "sop", suite: str = "registry") -> Iterator[str]:
    """A new empty PostgreSQL database for one test or module, dropped afterwards with the roles named after it.

    The roles matter for the shared registry: `admin commission add` creates a login per commission named
    after the database, and a role outlives its database unless it is dropped too."""
    from sqlalchemy import create_engine, text

    admin = pg_admin(suite)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            roles = conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"), {"p": name + "_%"})
            for (role,) in roles.all():
                conn.execute(text(f'DROP ROLE "{role}"'))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path):
    """A fresh empty registry location on each engine: an SQLite path or a new PG database."""
    if request.param == "sqlite":
        yield str(tmp_path / "data" / "registry.db")
        return
    with throwaway_database() as url:
        yield url


@pytest.fixture
def pg_db() -> Iterator[str]:
    """One more throw-away PostgreSQL database (the `db_url` fixture gives the first)."""
    with throwaway_database() as url:
        yield url


@pytest.fixture
def reg_env(sop_env: dict[str, str], db_url: str) -> dict[str, str]:
    sop_env["SOPCLI_DB"] = db_url
    return sop_env


class Templates:
    """Registries `init` has set up once per test process, copied for each test that needs a fresh one.

    `init` runs ten migrations and seeds the agencies and the standing terms: five seconds a test on
    either engine, most of what a short registry test costs. The copy is what `init` would have
    written the same day (a file copied with its 0600 mode; a PostgreSQL database cloned with
    `CREATE DATABASE … TEMPLATE`), so the tests of `init` itself still run it. What the copies share:
    the pseudonym key and the calendar UID `init` made, and the standing terms it opened on the day
    the process first needed one (a run across midnight keeps the earlier day's)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.made: dict[tuple[str, tuple[str, ...]], str] = {}

    def _make(self, engine: str, args: tuple[str, ...]) -> str:
        key = (engine, args)
        if key not in self.made:
            if engine == "sqlite":
                url = str(self.home / f"tpl{len(self.made)}" / "registry.db")
            else:
                url = _create_database(f"soptpl_{uuid.uuid4().hex[:12]}")
            env = private_env(self.home / f"env{len(self.made)}")
            env["SOPCLI_DB"] = url
            self.made[key] = url  # recorded first: dropped at the end even when its `init` fails
            first = runner(env)("init", "--new", *args)
            assert first.code == 0, first.err
        return self.made[key]

    def copy(self, url: str, *args: str) -> None:
        """Put an initialised registry (`init ARGS`) at the fresh location `url`: a path or an empty database."""
        if url.startswith("postgresql"):
            template = self._make("postgresql", args).rsplit("/", 1)[1]
            name = url.rsplit("/", 1)[1]
            _admin_sql(f'DROP DATABASE "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        source = Path(self._make("sqlite", args))
        assert not Path(f"{source}-wal").exists(), "the template registry was left with an open journal"
        target = Path(url)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copy2(source, target)

    def drop(self) -> None:
        names = [url.rsplit("/", 1)[1] for (engine, _), url in self.made.items() if engine == "postgresql"]
        _admin_sql(*(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in names))


def _admin_sql(*statements: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_admin(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for sql in statements:
                conn.execute(text(sql))
    finally:
        engine.dispose()


def _create_database(name: str) -> str:
    _admin_sql(f'CREATE DATABASE "{name}"')
    return pg_admin().rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    if any(engine == "postgresql" for engine, _ in made.made):
        made.drop()


@pytest.fixture
def sopr(reg_env: dict[str, str], templates: Templates):
    """`sopcli` against a registry `init --rules mari-el` set up, on the parametrised engine."""
    templates.copy(reg_env["SOPCLI_DB"], "--rules", "mari-el")
    return runner(reg_env)
