"""`sanshu ballots import` as a whole command, against inserting the same rows into the
same tables, at 1k / 20k / 100k ballots, from one CSV and from one .xlsx.

    .venv/bin/python bench/bench_import.py [--sizes 1000,20000,100000] [--runs 3]

- floor: the ballots' rows and their score rows (made in memory beforehand, not
  timed) written into a copy of the same empty meeting database, with the store's own
  connection settings (WAL, foreign keys) and its fastest way of writing many rows
  (`core.store.insert_rows`), in one transaction: what storing these ballots costs
  with nothing of the importer around it.
- import: `sanshu ballots import --db COPY FILE` run as its own process, wall time from
  spawn to exit (Python's start, reading and checking the file, the ballots, the
  tally's counts, the content digests, the audit event), and its peak memory
  (ru_maxrss through /usr/bin/time). Target: ≤ 2× the floor, < 200 MB at any size.
- files: plausible ballots of the demo meeting (21 subjects × 3 criteria, mostly good
  grades, some abstentions, 1 in 50 all the same, 1 in 20 with a comment), written
  as CSV (UTF-8 with BOM, as Excel saves it) and as .xlsx in the form Excel writes
  (shared strings; a blank cell has no element).
Runs alternate floor, CSV, xlsx, so a busy moment on the shared machine slows all.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sanshu_data import demo_meeting_path

from core.ballots.importing import header
from core.ballots.items import criterion_ids_of, form_items
from core.ballots.table import column_letter
from core.meeting.store import MeetingStore
from core.store import insert_rows, random_keys
from core.store.database import connect
from core.store.schema import BALLOT_IDS

SANSHU = str(Path(sys.executable).with_name("sanshu"))


def ballot_rows(store: MeetingStore, n: int, seed: int = 22) -> list[list[str]]:
    """The file's rows, header first: category, then per subject its grades and comment."""
    rng = random.Random(seed)
    meeting = store.meeting
    heads = header(store)
    labels = [g.label for g in meeting.grades] + [meeting.abstain or ""]
    categories = [c.name for c in meeting.categories]
    rows = [heads]
    for number in range(n):
        row = [categories[number % len(categories)]]
        same = number % 50 == 49  # invalid: one grade for everything
        for text in heads[1:]:
            if text.endswith("/意见建议"):
                row.append("工作扎实，建议加强调研。" if rng.random() < 0.05 / 21 else "")
            elif same:
                row.append(labels[1])
            else:
                grade = rng.choices(labels, (40, 30, 18, 7, 4))[0]
                row.append("" if rng.random() < 0.01 else grade)  # a few left blank
        rows.append(row)
    return rows


def write_csv(rows: list[list[str]], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def write_xlsx(rows: list[list[str]], path: Path) -> None:
    """An .xlsx as Excel writes it: shared strings, no element for a blank cell."""
    strings: dict[str, int] = {}
    for row in rows:
        for text in row:
            if text:
                strings.setdefault(text, len(strings))
    letters = [column_letter(c) for c in range(1, max(map(len, rows)) + 1)]
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="applica'
            'tion/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentTyp'
            'e="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.ope'
            'nxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/x'
            'l/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument'
            '.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        book.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="测评票" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        book.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="{len(strings)}">'
            + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
            + "</sst>",
        )
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'
            sheet.write(head.encode())
            for number, row in enumerate(rows, 1):
                cells = "".join(
                    f'<c r="{letters[i]}{number}" t="s"><v>{strings[text]}</v></c>'
                    for i, text in enumerate(row)
                    if text
                )
                sheet.write(f'<row r="{number}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")


def floor(store: MeetingStore, rows: list[list[str]], db: Path) -> float:
    """The same ballots' rows and score rows into the same tables, nothing else."""
    subject_ids = store.ids("subjects")
    criterion_ids = criterion_ids_of(store)
    items = form_items(store.meeting)
    heads = rows[0]
    columns = [heads.index(f"{s}/{c}") for s, c in items]
    conn = connect(db)
    conn.execute("BEGIN IMMEDIATE")
    ids = random_keys(conn, "ballots", len(rows) - 1, *BALLOT_IDS)
    conn.execute("ROLLBACK")
    ballots = [(ids[i], row[0], "import", 1, None) for i, row in enumerate(rows[1:])]
    scores = [
        (ids[i], subject_ids[s], criterion_ids[c], row[column] or None)
        for i, row in enumerate(rows[1:])
        for (s, c), column in zip(items, columns, strict=True)
    ]
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    insert_rows(
        conn, "INSERT INTO ballots (id, category, source, counted, entered_by)", ballots, width=5
    )
    insert_rows(
        conn, "INSERT INTO scores (ballot_id, subject_id, criterion_id, grade)", scores, width=4
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def command(db: Path, path: Path) -> tuple[float, float]:
    """Wall seconds and peak MB of `sanshu ballots import` as its own process."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", SANSHU, "ballots", "import", "--db", str(db), str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr[-2000:]
    return elapsed, int(proc.stderr.strip().splitlines()[-1]) / 1024


def stored(db: Path) -> int:
    with MeetingStore(db) as store:
        return int(store.conn.execute("SELECT count(*) FROM ballots").fetchone()[0])


def measure(n: int, tmp: Path, runs: int) -> dict[str, float]:
    empty = tmp / f"empty-{n}.db"
    store = MeetingStore.create(empty, demo_meeting_path().read_text("utf-8"), "bench.toml")
    rows = ballot_rows(store, n)
    csv_file, xlsx_file = tmp / f"ballots-{n}.csv", tmp / f"ballots-{n}.xlsx"
    write_csv(rows, csv_file)
    write_xlsx(rows, xlsx_file)
    store.close()
    best = {"floor": float("inf"), "csv": float("inf"), "xlsx": float("inf")}
    peak = {"csv": 0.0, "xlsx": 0.0}
    for _ in range(runs):
        for kind in ("floor", "csv", "xlsx"):
            db = tmp / f"{kind}-{n}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            shutil.copy(empty, db)
            if kind == "floor":
                with MeetingStore(db) as copy:
                    best[kind] = min(best[kind], floor(copy, rows, db))
            else:
                seconds, megabytes = command(db, csv_file if kind == "csv" else xlsx_file)
                best[kind] = min(best[kind], seconds)
                peak[kind] = max(peak[kind], megabytes)
            assert stored(db) == n, (kind, stored(db))
    return {
        "n": n,
        **best,
        "csv_mb": peak["csv"],
        "xlsx_mb": peak["xlsx"],
        "csv_file_mb": csv_file.stat().st_size / 1e6,
        "xlsx_file_mb": xlsx_file.stat().st_size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,20000,100000")
    parser.add_argument("--runs", type=int, default=3, help="best of N runs, in turns")
    args = parser.parse_args()
    print(
        f"{'ballots':>8} {'floor':>8} {'CSV':>8} {'÷floor':>7} {'peak MB':>8} "
        f"{'xlsx':>8} {'÷floor':>7} {'peak MB':>8} {'files (MB)':>14}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            r = measure(n, Path(tmp), args.runs)
            print(
                f"{r['n']:>8} {r['floor']:>7.2f}s {r['csv']:>7.2f}s {r['csv'] / r['floor']:>7.2f} "
                f"{r['csv_mb']:>8.0f} {r['xlsx']:>7.2f}s {r['xlsx'] / r['floor']:>7.2f} "
                f"{r['xlsx_mb']:>8.0f} {r['csv_file_mb']:>6.1f} / {r['xlsx_file_mb']:<5.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
