"""Benchmark of the quarterly package: `export bank` of a national-size registry, and `reconcile`.

Uses the registry of bench_registry.py (generated on the fly, or kept with
--keep DIR), then times as whole processes:
  * `sopcli export bank --all` (every case ever registered: 150,000 rows) and
    `export bank --quarter` of the last quarter, with peak memory;
  * the same bank rows written by a plain pandas `DataFrame.to_excel`, for the ratio;
  * `sopcli reconcile` of a 20,000-row agency list built from the bank with
    planted differences (typos, ё/е, swapped order, strangers).
Targets (exports issue): export < 15 s and < 300 MB; reconcile < 3 s.
Run: .venv/bin/python bench/bench_exports.py [--cases 150000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_registry

AGENCY = "Орган внутренних дел (ПДН)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=150_000)
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("--rows", type=int, default=20_000)
    opts = ap.parse_args()
    tmp = opts.keep or tempfile.mkdtemp(prefix="sopcli-bench-exp-")
    os.makedirs(tmp, exist_ok=True)
    db = os.path.join(tmp, "registry.db")
    url = f"sqlite:///{db}"
    env = bench_registry.bench_env(tmp, db)
    exe = bench_registry.EXE
    out = Path(tmp) / "out"
    out.mkdir(exist_ok=True)
    try:
        fresh = not os.path.exists(db)
        subprocess.run([exe, "init", "--new", "--municipality", "г. Йошкар-Ола"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        if fresh:
            bench_registry.generate(url, opts.cases)
        rows = []
        for label, args in (("export bank --all (every case)", ["export", "bank", "--all"]),
                            ("export bank --quarter 2026Q3", ["export", "bank", "--quarter", "2026Q3"])):
            secs, mb = bench_registry.sopcli(env, *args, "-o", str(out / "bank.xlsx"))
            rows.append((label, secs, mb))
        secs, count = pandas_bank(db, env, out / "pandas.xlsx")
        rows.append((f"pandas to_excel (openpyxl), same {count:,} rows (in-process)", secs, float("nan")))
        listing = out / "pdn.xlsx"
        count, planted = agency_list(db, env, listing, opts.rows)
        secs, mb = bench_registry.sopcli(env, "reconcile", str(listing), "--agency", AGENCY, "--quarter", "2026Q3",
                                         "-o", str(out / "act.xlsx"))
        rows.append((f"reconcile {count:,}-row list ({planted})", secs, mb))
        print(f"{'what':64} {'median s':>9} {'peak MB':>8}")
        for label, secs, mb in rows:
            print(f"{label:64} {secs:9.3f} {mb:8.1f}")
        print(f"export --all / pandas to_excel: {rows[0][1] / rows[2][1]:.2f}x")
    finally:
        if not opts.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def pandas_bank(db: str, env: dict[str, str], path: Path) -> tuple[float, int]:
    """The same rows through pandas, the usual way a script would write them."""
    import pandas as pd

    from sopcli.services.papers import exports
    from sopcli.services.reading.db import open_reader

    os.environ.update({k: env[k] for k in ("SOPCLI_CONFIG_DIR", "SOPCLI_CACHE_DIR")})
    with open_reader(db) as r:
        data = list(exports.bank_rows(r, date(1991, 1, 1), bench_registry.AS_OF))
    t = time.perf_counter()
    frame = pd.DataFrame(data, columns=[c.header for c in exports.BANK_COLUMNS])
    frame.to_excel(path, index=False, engine="openpyxl")  # the design card's XLSX library
    return time.perf_counter() - t, len(data)


def agency_list(db: str, env: dict[str, str], path: Path, n: int) -> tuple[int, str]:
    """An agency's list of `n` children of the quarter's bank, 5% with a typo or swapped names, 2% strangers."""
    from sopcli.render.xlsx import Column, Sheet, write_xlsx
    from sopcli.services.files_in.reconcile_list import registry_people
    from sopcli.services.papers import exports
    from sopcli.services.reading.db import open_reader

    rng = random.Random(3)
    start, end = exports.quarter("2026Q3")
    with open_reader(db) as r:
        people = list(registry_people(r, start, end))
    chosen = rng.sample(people, min(n, len(people)))
    rows = []
    typos = strangers = 0
    for i, p in enumerate(chosen, 1):
        name = p.name
        roll = rng.random()
        if roll < 0.03:
            k = rng.randrange(1, len(name) - 1)
            name, typos = name[:k] + name[k + 1] + name[k] + name[k + 2:], typos + 1
        elif roll < 0.05:
            parts = name.split()
            name, typos = " ".join(parts[1:] + parts[:1]), typos + 1
        elif roll < 0.07:
            name, strangers = f"Незнакомов{i} Пётр Ильич", strangers + 1
        rows.append([name, p.birth.strftime("%d.%m.%Y") if p.birth else "", p.address])
    write_xlsx(path, [Sheet("ПДН", "Список ПДН", [Column("Ф.И.О. несовершеннолетнего"), Column("Дата рождения"),
                                                  Column("Адрес")], rows)])
    return len(rows), f"{typos} typos/swaps, {strangers} strangers, of {len(people):,} in the bank"


if __name__ == "__main__":
    main()
