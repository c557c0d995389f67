"""Where sopcli keeps its files, how it writes them, and how it reads a small file it is given.

152-ФЗ: the registry holds children's personal data, so every file sopcli
creates is 0600 in a 0700 folder, and written to a temporary name first and
renamed, so a crash never leaves a half-written file that looks complete.

A file named on the command line is hostile input (issue 27): a symbolic link to
/dev/zero, a FIFO nobody writes to, a directory. `read_small` reads regular files
only, never blocks on opening, and reads no more than its limit.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def config_dir() -> Path:
    env = os.environ.get("SOPCLI_CONFIG_DIR")
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("sopcli", appauthor=False))


def cache_dir() -> Path:
    env = os.environ.get("SOPCLI_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("sopcli", appauthor=False))


def private_dir(path: Path) -> Path:
    """Make `path` and any missing parents 0700 whatever the umask; folders that already exist are left alone
    (the user's own ~/Documents is not ours to close)."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # made by a concurrent sopcli: still ours, still closed below
            pass
        os.chmod(folder, 0o700)
    return path


#: Folders sopcli never writes a paper or a backup into, nor anywhere below them: the kernel's (/proc, /sys,
#: /dev: a write there is a setting changed, not a file written), the system's programs, settings and state.
#: sopcli often runs as root under cron, where nothing else would stop it.
SYSTEM_TREES = frozenset({
    "/proc", "/sys", "/dev", "/boot", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr",
    "/var/lib", "/var/cache", "/var/log", "/var/spool", "/var/mail", "/var/run", "/var/lock", "/snap",
    "/private/etc", "/System", "/Library"})
#: Folders whose own files are the system's layout, though their subfolders are people's (/home/anna, /srv/kdn,
#: /run/media/anna/флешка): refused as a folder to write into, allowed below.
SYSTEM_ROOTS = frozenset({"/", "/home", "/var", "/run", "/mnt", "/media", "/opt", "/srv", "/private"})


def refuse_system_folder(folder: Path, noun: str, shown: Path | None = None) -> None:
    """Refuse (exit 2) a folder that is, or through a symbolic link leads into, a system folder (SYSTEM_TREES,
    SYSTEM_ROOTS); `shown` is the path as the user wrote it (a file's, when the folder is its parent's). Links
    are resolved as far as the path exists: `-o ~/выгрузки` that is a link to /etc is /etc."""
    from sopcli.errors import InvalidInput

    real = Path(os.path.realpath(folder))
    hit = next((p for p in (real, *real.parents) if str(p) in SYSTEM_TREES), None)
    if hit is None and str(real) in SYSTEM_ROOTS:
        hit = real
    if hit is not None:
        raise InvalidInput(f"Путь для {noun} {shown or folder} ведёт в системную папку {hit}: sopcli туда не "
                           "пишет, укажите свою папку.")


def writable_folder(folder: Path, noun: str) -> Path:
    """The folder a file is asked into: it must exist and take our files, else refused in Russian (exit 2).

    Checked before anything is read or written, so a typo or someone else's folder in `-o` is the
    user's input refused, not an environment fault found halfway (README «Сбои»). `noun` says
    what is written, in the genitive: «выгрузки», «документа», «писем».
    """
    from sopcli.errors import InvalidInput

    folder = folder.expanduser().absolute()
    refuse_system_folder(folder, noun)
    if not folder.is_dir():
        raise InvalidInput(f"Папки для {noun} нет: {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput(f"В папку для {noun} нельзя записать: {folder}")
    return folder


def output_target(path: Path, suffix: str, noun: str) -> Path:
    """`-o FILE`: the absolute target with the right extension in a folder we may write to (`writable_folder`)."""
    from sopcli.errors import InvalidInput

    target = path.expanduser().absolute()
    if target.suffix.lower() != suffix:
        raise InvalidInput(f"Файл {noun} должен оканчиваться на {suffix}: {target.name[:80]}")
    refuse_system_folder(Path(os.path.realpath(target)).parent, noun, target)  # the file a link, too
    writable_folder(target.parent, noun)
    return target


@contextmanager
def atomic_private(path: Path) -> Iterator[Path]:
    """A temporary 0600 file beside `path`, renamed over it only when the block succeeds.

    The temporary name (`.sopcli-XXXX.ext.part`) is never the target's, so a
    killed export or a failed commit cannot leave a half-written file under the
    name asked for; on any exception, KeyboardInterrupt included, it is removed.
    The caller checks the folder first (it is not created here: a typo in `-o`
    is refused, not silently made). The data is fsynced before the rename.
    """
    target = path.expanduser().absolute()
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".sopcli-", suffix=f"{target.suffix}.part")
    tmp = Path(name)
    try:
        try:
            os.fchmod(fd, 0o600)  # mkstemp already does; stated because it is the point (152-ФЗ)
        finally:
            os.close(fd)
        yield tmp
        _seal(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every file system lets a folder be fsynced."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


#: Bytes in one file name on the file systems a secretary meets (ext4, XFS, Btrfs, APFS); FAT and exFAT flash
#: drives count 255 UTF-16 letters, which a name of at most 255 UTF-8 bytes never exceeds.
NAME_MAX = 255
_LOOSE_END = " ,;:.-–—"


def name_limit(folder: Path) -> int:
    """The longest file name `folder` takes, in bytes: the file system's own if smaller (eCryptfs: 143)."""
    try:
        return min(NAME_MAX, os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return NAME_MAX


def cut_to_bytes(text: str, budget: int) -> str:
    """`text` in at most `budget` bytes of UTF-8 (a Cyrillic letter is 2): as it is when it fits, else cut at
    the last whole word that fits, with «…» — a word cut in the middle only when the first one is too long."""
    if len(text.encode()) <= budget:
        return text
    room = max(budget - len("…".encode()), 0)
    head = text.encode()[:room].decode(errors="ignore")  # never half a letter
    whole = head[-1:].isspace() or text[len(head)].isspace()
    if not whole and " " in head.strip():
        head = head[:head.rindex(" ")]
    return head.rstrip(_LOOSE_END) + "…"


@dataclass
class _Placed:
    tmp: Path
    target: Path
    old: Path | None = None  # the file the target was, set aside until the batch is done
    done: bool = False


class Batch:
    """Several files written under temporary names and put in place together (`atomic_batch`)."""

    def __init__(self) -> None:
        self.files: list[_Placed] = []
        self.committed = False

    def file(self, path: Path) -> Path:
        """A temporary 0600 file beside `path` to write into; `path` is filled only by `commit`."""
        target = path.expanduser().absolute()
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=".sopcli-", suffix=f"{target.suffix}.part")
        self.files.append(_Placed(Path(name), target))
        try:
            os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
        return Path(name)

    def commit(self) -> None:
        """Every file fsynced, then each renamed over its target; a failure takes back those already placed
        (the files they replaced restored) and raises."""
        if self.committed:
            return
        self.committed = True
        for f in self.files:
            _seal(f.tmp)
        for f in self.files:
            f.old = _set_aside(f.target)
            os.replace(f.tmp, f.target)
            f.done = True

    def undo(self) -> None:
        """Back to the folder as it was: temporaries removed, placed files removed, set-aside files restored.
        Each step on its own: a second fault must not hide the first or stop the rest."""
        for f in reversed(self.files):
            _quietly(f.tmp.unlink, missing_ok=True)
            if f.done:
                _quietly(f.target.unlink, missing_ok=True)
            if f.old:
                _quietly(os.replace, f.old, f.target)

    def finish(self) -> None:
        for f in self.files:
            if f.old:
                f.old.unlink(missing_ok=True)
        for folder in {f.target.parent for f in self.files}:
            _sync_folder(folder)


@contextmanager
def atomic_batch() -> Iterator[Batch]:
    """All the files or none (`remind --all`: the week's letters): `batch.file(path)` gives a temporary to
    write; when the block ends (or at `batch.commit()`, to place them before a registry commit that may still
    fail) all are renamed into place. On any exception, KeyboardInterrupt included, the folder is left as it
    was: no temporary, no new file, and a file a target replaced put back."""
    batch = Batch()
    try:
        yield batch
        batch.commit()
    except BaseException:
        batch.undo()
        raise
    batch.finish()


def _quietly(step: Any, *args: Any, **kwargs: Any) -> None:
    try:
        step(*args, **kwargs)
    except OSError:
        pass


def _seal(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fchmod(fd, 0o600)  # a writer that recreated the file must not widen it
        os.fsync(fd)
    finally:
        os.close(fd)


def _set_aside(target: Path) -> Path | None:
    """Move the file at `target` to a temporary name so that it can be restored; a folder there is refused."""
    import errno

    if not os.path.lexists(target):
        return None
    if target.is_dir() and not target.is_symlink():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".sopcli-", suffix=".old")
    os.close(fd)
    os.replace(target, name)
    return Path(name)


def write_private(path: Path, data: bytes) -> None:
    """Atomically replace `path` with `data`, mode 0600, in a 0700 folder made if missing."""
    private_dir(path.parent)
    with atomic_private(path) as tmp:
        tmp.write_bytes(data)


def write_json(path: Path, obj: object) -> None:
    write_private(path, json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8"))


class NotReadable(Exception):
    """A file `read_small` refuses; `reason` is a Russian phrase for the caller's one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_small(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or NotReadable.

    Opened with O_NONBLOCK (a FIFO without a writer would otherwise wait forever) and judged by
    `fstat` of what was opened, so a link swapped after a check cannot slip a device in; the size
    is checked before reading and the read itself stops at `limit` + 1 bytes (a file that grows,
    or lies about its size, as /proc files do)."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except IsADirectoryError:
        raise NotReadable("это папка, а не файл") from None
    except FileNotFoundError:
        raise NotReadable("нет такого файла") from None
    except OSError:
        raise NotReadable("не открывается") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise NotReadable("это папка, а не файл")
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable("это не обычный файл (устройство, канал или сокет)")
        if info.st_size > limit:
            raise NotReadable(f"больше {limit // 1_000_000} МБ")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError:
        raise NotReadable("не читается") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise NotReadable(f"больше {limit // 1_000_000} МБ")
    return data
