"""Where sopcli keeps its files, and how it writes them.

152-ФЗ: the registry holds children's personal data, so every file sopcli
creates is 0600 in a 0700 folder, and written to a temporary name first and
renamed, so a crash never leaves a half-written file that looks complete.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


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
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Atomically replace `path` with `data`, mode 0600."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, obj: object) -> None:
    write_private(path, json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8"))
