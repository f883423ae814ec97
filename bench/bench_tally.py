"""The tally and the ballot import at 1k / 5k / 20k / 100k ballots, as ratios to floors
measured in the same run.

    .venv/bin/python bench/bench_tally.py [--sizes 1000,5000,20000,100000] [--reference]

Floors (what the same work costs with nothing of ours in the way):
- tally floor: a plain SQL GROUP BY (subject, criterion, grade) over the same score
  rows, with a covering index so SQLite reads the index alone (best of 7, taken in turns
  with the tally's);
- insert floor: the same score rows written with one raw sqlite3 executemany (÷insert),
  and again into a table with the store's foreign keys on, each row checked (÷FK ins).
`sanshu tally` runs as a separate process; its peak memory (ru_maxrss) is reported.
The ballot-by-ballot reference tally is timed up to 20k (or always with --reference).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sanshu_data import demo_meeting_path

from core.ballots.items import form_items
from core.ballots.results import load_tally, load_tally_reference
from core.ballots.storing import BallotEntry, add_ballots
from core.meeting.store import MeetingStore

SANSHU = str(Path(sys.executable).with_name("sanshu"))


def ballots_for(store: MeetingStore, n: int, seed: int = 14) -> list[tuple[str, BallotEntry]]:
    """Plausible ballots: mostly good grades, a few abstentions, 1 in 50 all the same."""
    rng = random.Random(seed)
    meeting = store.meeting
    items = form_items(meeting)
    labels = [g.label for g in meeting.grades] + [meeting.abstain]
    categories = [c.name for c in meeting.categories]
    out = []
    for number in range(n):
        if number % 50 == 49:
            grades = dict.fromkeys(items, labels[1])  # invalid: all the same
        else:
            grades = {item: rng.choices(labels, (40, 30, 18, 7, 5))[0] for item in items}
        out.append((categories[number % len(categories)], BallotEntry(grades)))
    return out


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_each(runs: int, *actions) -> list[float]:
    """Best time of each action, run in turns so that a busy moment on a shared
    machine slows all of them, not only the one that happened to run then."""
    best = [float("inf")] * len(actions)
    for _ in range(runs):
        for index, action in enumerate(actions):
            start = time.perf_counter()
            action()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def insert_floor(
    rows: list[tuple[int, int, int, str | None]], path: Path, *, foreign_keys: bool = False
) -> float:
    """One raw executemany of the score rows; with `foreign_keys`, into a table that
    refers to its ballots and subjects as the store's does (the parents are written
    first, untimed), so each row is checked as in the store."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    references = ("", "")
    if foreign_keys:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("CREATE TABLE ballots (id INTEGER PRIMARY KEY) WITHOUT ROWID")
        conn.execute("CREATE TABLE subjects (id INTEGER PRIMARY KEY)")
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO ballots VALUES (?)", [(b,) for b in {r[0] for r in rows}])
        conn.executemany("INSERT INTO subjects VALUES (?)", [(s,) for s in {r[1] for r in rows}])
        conn.execute("COMMIT")
        references = (" REFERENCES ballots(id)", " REFERENCES subjects(id)")
    conn.execute(
        f"CREATE TABLE scores (ballot_id INTEGER NOT NULL{references[0]}, "
        f"subject_id INTEGER NOT NULL{references[1]}, criterion_id INTEGER, grade TEXT, "
        "PRIMARY KEY (ballot_id, subject_id, criterion_id)) WITHOUT ROWID"
    )
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO scores VALUES (?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def sanshu_tally_process(db: Path) -> tuple[float, float]:
    """Wall time and peak memory (MB) of `sanshu tally --format json`, measured by
    /usr/bin/time (a forked child's ru_maxrss would include this process's memory)."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", SANSHU, "tally", "--db", str(db), "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    return elapsed, int(proc.stderr.strip().splitlines()[-1]) / 1024


def measure(n: int, tmp: Path, reference: bool) -> dict[str, float]:
    db = tmp / f"tally-{n}.db"
    store = MeetingStore.create(db, demo_meeting_path().read_text("utf-8"), "bench.toml")
    ballots = ballots_for(store, n)
    start = time.perf_counter()
    add_ballots(store, ballots, source="import")
    imported_s = time.perf_counter() - start
    store.set_poll("closed")

    rows = list(store.db.execute("SELECT ballot_id, subject_id, criterion_id, grade FROM scores"))
    insert_s = insert_floor(rows, tmp / f"floor-{n}.db")
    checked_s = insert_floor(rows, tmp / f"floor-fk-{n}.db", foreign_keys=True)
    del rows
    store.db.execute("CREATE INDEX bench_cover ON scores (subject_id, criterion_id, grade)")
    group_by = "SELECT subject_id, criterion_id, grade, count(*) FROM scores GROUP BY 1, 2, 3"
    floor_s, tally_s = best_of_each(
        7, lambda: store.db.execute(group_by).fetchall(), lambda: load_tally(store)
    )
    out = {
        "n": n,
        "floor_s": floor_s,
        "tally_s": tally_s,
        "import_s": imported_s,
        "insert_s": insert_s,
        "checked_s": checked_s,
    }
    if reference or n <= 20_000:
        out["reference_s"] = best_of(1, lambda: load_tally_reference(store))
        assert load_tally_reference(store) == load_tally(store)
    store.close()
    out["process_s"], out["process_mb"] = sanshu_tally_process(db)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,5000,20000,100000")
    parser.add_argument("--reference", action="store_true", help="time the reference at 100k too")
    args = parser.parse_args()
    print(
        f"{'ballots':>8} {'SQL floor':>10} {'tally':>9} {'ratio':>6} {'reference':>10} "
        f"{'import':>8} {'÷insert':>8} {'÷FK ins':>8} {'÷SQL':>6} {'sanshu tally':>13} "
        f"{'peak MB':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            r = measure(n, Path(tmp), args.reference)
            ref = f"{r['reference_s'] * 1000:8.0f}ms" if "reference_s" in r else f"{'-':>10}"
            print(
                f"{n:8d} {r['floor_s'] * 1000:8.1f}ms {r['tally_s'] * 1000:7.1f}ms "
                f"{r['tally_s'] / r['floor_s']:6.2f} {ref} {r['import_s']:7.1f}s "
                f"{r['import_s'] / r['insert_s']:8.1f} {r['import_s'] / r['checked_s']:8.2f} "
                f"{r['import_s'] / r['floor_s']:6.0f} "
                f"{r['process_s']:12.2f}s {r['process_mb']:8.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
