"""A PostgreSQL registry that cannot be reached or logged into (issue 27 §5): one Russian line for each kind.

Against the real throw-away server: a missing database, an unknown role, an unused port, SSL required and not
offered. Exit 1 (the surroundings, not the input), the same line through psycopg (`case list`) and through
pg_light's libpq reader (`calendar due`, `rules`), and nothing of libpq's English text: it names the host,
the role and the database. A wrong password (the test server trusts every login) is held by libpq's words.
"""

from __future__ import annotations

import socket

import pytest

from sopcli.cli import environment_fault
from tests.conftest import pg_admin, private_env, runner

COMMANDS = (("case", "list"), ("calendar", "due", "01.01.2025", "01.02.2025"), ("rules",))


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _urls() -> dict[str, tuple[str, str]]:
    admin = pg_admin()
    server = admin.rsplit("/", 1)[0]
    scheme, rest = server.split("://", 1)
    user, host = rest.split("@", 1)
    return {
        "database": (f"{server}/sopcli_no_such_db", "нет базы данных"),
        "role": (f"{scheme}://sopcli_no_such_role@{host}/postgres", "не пустил"),
        "port": (f"{scheme}://{user}@127.0.0.1:{_unused_port()}/postgres", "недоступен"),
        "ssl": (f"{server}/postgres?sslmode=require", "SSL"),
    }


@pytest.mark.parametrize("kind", ["database", "role", "port", "ssl"])
def test_a_connection_not_made_is_one_russian_line(kind, tmp_path):
    url, words = _urls()[kind]
    run = runner(dict(private_env(tmp_path), SOPCLI_DB=url))
    for args in COMMANDS:
        r = run(*args)
        assert r.code == 1, (args, r.err)
        lines = r.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Ошибка: ") and words in lines[0], (args, r.err)
        for secret in ("Внутренняя", "sopcli_no_such", "127.0.0.1", "connection", "FATAL", "postgres"):
            assert secret not in r.err, (args, secret, r.err)


class _Operational(Exception):
    __module__ = "psycopg"

    def __init__(self, text: str, sqlstate: str | None = None) -> None:
        super().__init__(text)
        self.sqlstate = sqlstate


_Operational.__name__ = "OperationalError"


@pytest.mark.parametrize(("text", "state", "words"), [
    ('connection to server at "h", port 5432 failed: FATAL:  password authentication failed for user '
     '"Смирнова"', None, "не пустил"),
    ("connection to server at \"h\" failed: fe_sendauth: no password supplied", None, "не пустил"),
    ("FATAL: no pg_hba.conf entry for host \"10.0.0.1\", user \"u\", database \"d\", no encryption", None,
     "не пустил"),
    ("whatever the server said", "28P01", "не пустил"),
    ("whatever the server said", "3D000", "нет базы данных"),
    ("could not translate host name \"реестр.local\" to address", None, "недоступен"),
    ("connection to server at \"h\" failed: timeout expired", None, "недоступен"),
])
def test_libpq_words_and_states_are_mapped_never_shown(text, state, words):
    msg = environment_fault(_Operational(text, state))
    assert msg is not None and words in msg
    assert "Смирнова" not in msg and "реестр.local" not in msg


def test_a_server_error_of_another_kind_is_not_taken_for_a_connection():
    assert environment_fault(_Operational('relation "person" does not exist', "42P01")) is None
    err = _Operational('role "x" does not exist', "42704")  # SET ROLE of a missing commission: not a login
    assert environment_fault(err) is None
