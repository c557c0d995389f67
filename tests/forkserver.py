"""`python -m sopcli` as a real process, forked from an interpreter that has already imported sopcli.

Most of a registry command's second is imports: SQLAlchemy, SQLModel and sopcli's
own models. The suite runs thousands of commands, so each test worker keeps one
server process (a "zygote") that imported them once and forks a child per
command. The child is still a separate process with the command's own argv,
environment, working folder, stdin, stdout and stderr, its own exit code (a
signal's negative number, as subprocess reports it) and its own interpreter
shutdown (see `_end`); only the imports are shared. Nothing in sopcli reads the environment
at import time, and the zygote never opens a registry, so a child starts from
the same state a fresh `python -m sopcli` would.

A fresh interpreter is still used where the start itself is under test or the
start-up environment differs from the zygote's (PYTHON*, LC_*, LANG): the
tests of what `calendar due` imports, the pseudo-terminal tests, the fault
suite's sandbox. `SOPCLI_TEST_FRESH=1` makes every command a fresh process.
"""

from __future__ import annotations

import atexit
import io
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

_STARTUP_KEYS = ("PYTHON", "LC_", "LANG")  # read by the interpreter as it starts: a fork would inherit the zygote's


# -- the server -----------------------------------------------------------------------------------------------------
def _preload() -> None:
    """Import sopcli and every one of its modules, and the libraries they import lazily."""
    import importlib
    import pkgutil

    import sopcli

    for info in pkgutil.walk_packages(sopcli.__path__, "sopcli."):
        if info.name.startswith("sopcli.migrations") or info.name == "sopcli.__main__":
            continue  # Alembic loads its scripts from their files on every upgrade; __main__ runs the CLI
        try:
            importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 - an optional module the command would fail on by itself
            pass
    for name in ("psycopg", "openpyxl", "jinja2", "alembic.command", "alembic.config", "rich.progress",
                 "rich.table", "dateutil.parser", "holidays"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
    if len(data) < 4:
        raise ConnectionError("short request")
    size = struct.unpack("!I", data[:4])[0]
    body = data[4:]
    while len(body) < size:
        more = conn.recv(size - len(body))
        if not more:
            raise ConnectionError("short request")
        body += more
    return json.loads(body), fds


def _serve(path: str) -> dict[str, Any]:
    """Accept requests until killed; return only in a forked command process, with its request."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the watchers reap themselves
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        conn, _ = listener.accept()
        if os.fork():  # the zygote: back to accepting; the watcher serves this request
            conn.close()
            continue
        listener.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        try:
            request, fds = _receive(conn)
        except (OSError, ValueError):
            os._exit(1)
        pid = os.fork()
        if pid == 0:  # the command
            conn.close()
            for fd, target in zip(fds, (0, 1, 2), strict=True):
                os.dup2(fd, target)
            for fd in fds:
                if fd > 2:
                    os.close(fd)
            return request
        for fd in fds:
            os.close(fd)
        try:
            conn.sendall(f"{pid}\n".encode())
            # Ended but not reaped: while the client holds the connection the pid stays this command's (a
            # zombie takes a signal harmlessly), so a kill that races the end never reaches another process.
            info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
            code = info.si_status if info.si_code == os.CLD_EXITED else -info.si_status
            conn.sendall(f"{code}\n".encode())
            conn.recv(1)  # the client closes when it has the code
        finally:
            os.waitpid(pid, 0)
            os._exit(0)


def _become(request: dict[str, Any], encoding: str, errors: str) -> None:
    """Turn this fork into `python -m sopcli ARGV` started in the request's folder and environment."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)),
                                                 encoding=encoding, errors=errors)
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)),
                                                   encoding=encoding, errors=errors)
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
                                                   encoding=encoding, errors="backslashreplace",
                                                   line_buffering=True)
    sys.path[0] = os.getcwd()  # `-m` puts the working folder first
    sys.argv = ["-m", *request["argv"]]


def _exit_code(err: SystemExit) -> int:
    """What the interpreter makes of an uncaught SystemExit."""
    if err.code is None:
        return 0
    if isinstance(err.code, int):
        return err.code & 0xFF
    print(err.code, file=sys.stderr)
    return 1


def _end(code: int) -> None:
    """The interpreter's shutdown, less the teardown of every module the zygote imported.

    Tearing down SQLAlchemy, SQLModel and all of sopcli takes most of a second per command and frees
    nothing the command made; what the command made is finalised by a collection, then the threads are
    joined, the atexit handlers run and the streams flushed, as at any interpreter's exit."""
    import atexit
    import gc
    import threading

    gc.collect()
    threading._shutdown()  # type: ignore[attr-defined]  # what the interpreter does first at exit
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 120  # the interpreter's own code for a failed flush at exit
    os._exit(code)


def main() -> None:
    import gc

    _preload()
    gc.freeze()  # the imports stay out of every child's collections, and their pages shared
    encoding, errors = sys.stdout.encoding, sys.stdout.errors
    request = _serve(sys.argv[1])
    _become(request, encoding, errors)
    import runpy
    import traceback

    try:
        runpy.run_module("sopcli", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as err:
        code = _exit_code(err)
    except KeyboardInterrupt:
        traceback.print_exc()
        code = 130
    except BaseException:  # noqa: BLE001 - as the interpreter: a traceback and exit 1
        traceback.print_exc()
        code = 1
    _end(code)


# -- the client -----------------------------------------------------------------------------------------------------
class _Zygote:
    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="sopcli-zygote-")
        self.path = os.path.join(self.folder, "socket")
        self.env = dict(os.environ)
        repo = str(Path(__file__).resolve().parents[1])
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.forkserver", self.path], cwd=repo,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the fork server did not start")
        atexit.register(self.stop)

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
        try:
            os.unlink(self.path)
            os.rmdir(self.folder)
        except OSError:
            pass

    def fits(self, env: dict[str, str]) -> bool:
        """Would a fresh interpreter in `env` start as the zygote did?"""
        keys = {k for k in (*env, *self.env) if k.startswith(_STARTUP_KEYS)}
        return all(env.get(k) == self.env.get(k) for k in keys)


_zygote: _Zygote | None = None
_lock = threading.Lock()


def _server(env: dict[str, str]) -> _Zygote | None:
    global _zygote
    if os.environ.get("SOPCLI_TEST_FRESH"):
        return None
    with _lock:
        if _zygote is None or _zygote.proc.poll() is not None:
            _zygote = _Zygote()
    return _zygote if _zygote.fits(env) else None


def _memfile(data: bytes = b"") -> int:
    fd = os.memfd_create("sopcli-io")
    if data:
        os.write(fd, data)
        os.lseek(fd, 0, os.SEEK_SET)
    return fd


class Process:
    """A started `python -m sopcli ARGV`: forked by the zygote when it can be, else a fresh interpreter.

    Popen's few methods the tests use: `pid`, `poll()`, `wait()`, `send_signal()`, and the captured output."""

    def __init__(self, args: list[str] | tuple[str, ...], env: dict[str, str], stdin: bytes | None = None) -> None:
        self.returncode: int | None = None
        self._out, self._err = _memfile(), _memfile()
        self._in = _memfile(stdin) if stdin is not None else os.open(os.devnull, os.O_RDONLY)
        zygote = _server(env)
        self._popen: subprocess.Popen | None = None
        self._sock: socket.socket | None = None
        if zygote is None:
            self._popen = subprocess.Popen([sys.executable, "-m", "sopcli", *args], env=env, stdin=self._in,
                                           stdout=self._out, stderr=self._err)
            self.pid = self._popen.pid
        else:
            self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._sock.connect(zygote.path)
            body = json.dumps({"argv": list(args), "env": env, "cwd": os.getcwd()}).encode()
            socket.send_fds(self._sock, [struct.pack("!I", len(body)) + body], [self._in, self._out, self._err])
            self._buf = b""
            self.pid = int(self._line())
        os.close(self._in)

    def _line(self) -> bytes:
        """The server's next line (the pid, then the exit code); b"" if it closed first."""
        while b"\n" not in self._buf:
            chunk = self._sock.recv(64)
            if not chunk:
                return b""
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return line

    def poll(self) -> int | None:
        if self.returncode is None:
            if self._popen is not None:
                self.returncode = self._popen.poll()
            else:
                if b"\n" not in self._buf:
                    self._sock.setblocking(False)
                    try:
                        chunk = self._sock.recv(64)
                    except BlockingIOError:
                        return None
                    finally:
                        self._sock.setblocking(True)
                    self._buf += chunk if chunk else b"\n"  # closed early: _finish reports it
                self._finish()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if self._popen is not None:
                self.returncode = self._popen.wait(timeout)
            else:
                self._sock.settimeout(timeout)
                try:
                    self._finish()
                except TimeoutError:
                    self._sock.settimeout(None)
                    raise subprocess.TimeoutExpired("sopcli", timeout) from None
        return self.returncode

    def _finish(self) -> None:
        line = self._line()
        if not line.strip():
            raise RuntimeError("the fork server lost the command")
        self.returncode = int(line)
        self._sock.close()

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            if self._popen is not None:
                self._popen.send_signal(sig)
            else:
                os.kill(self.pid, sig)  # not yet reaped (see _serve): this command's, even if it has just ended

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def output(self) -> tuple[bytes, bytes]:
        """Everything the command wrote to stdout and stderr (after it ended); the files are closed."""
        out = []
        for fd in (self._out, self._err):
            os.lseek(fd, 0, os.SEEK_SET)
            with open(fd, "rb") as f:
                out.append(f.read())
        self._out = self._err = -1
        return out[0], out[1]

    def __del__(self) -> None:
        for fd in (getattr(self, "_out", -1), getattr(self, "_err", -1)):
            if fd >= 0:
                os.close(fd)
        if getattr(self, "_sock", None) is not None:
            self._sock.close()  # the watcher reaps the command then


def _text(data: bytes) -> str:
    """As subprocess.run(text=True) decodes: the locale's encoding, universal newlines."""
    import locale

    return data.decode(locale.getpreferredencoding(False)).replace("\r\n", "\n").replace("\r", "\n")


def run(args: list[str] | tuple[str, ...], env: dict[str, str], stdin: str | None = None,
        timeout: float = 120) -> tuple[int, str, str]:
    """`sopcli ARGS` to the end: (exit code, stdout, stderr), as subprocess.run(capture_output, text) gives them."""
    import locale

    data = stdin.encode(locale.getpreferredencoding(False)) if stdin is not None else None
    proc = Process(args, env, data)
    try:
        code = proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise
    out, err = proc.output()
    return code, _text(out), _text(err)


if __name__ == "__main__":
    main()
