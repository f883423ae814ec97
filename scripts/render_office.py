"""Render office files (.xlsx, .docx) to PNG pages through LibreOffice, to look at them.

    python scripts/render_office.py 结果.xlsx 会议记录.docx --out rendered/ [--dpi 80]
    python scripts/render_office.py --demo --out docs/   # the demo meeting's papers

Each file becomes FILE.pdf and FILE-1.png, FILE-2.png, … in --out. Needs `soffice`
(LibreOffice) and `pdftoppm` (poppler-utils); without them it says so and exits 0,
so it can run anywhere. `render()` is what tests call.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def tools_available() -> bool:
    return bool(shutil.which("soffice") and shutil.which("pdftoppm"))


def render(path: Path, out_dir: Path, dpi: int = 80, timeout: float = 180) -> list[Path]:
    """PNG pages of one office file, in page order. Raises StoreError when LibreOffice
    fails; returns [] when the tools are not installed."""
    if not tools_available():
        return []
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from core.office.pdf import to_pdf

    pdf = to_pdf(path, out_dir)
    for old in out_dir.glob(f"{path.stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out_dir / path.stem)],
        check=True,
        timeout=timeout,
    )
    pages = sorted(out_dir.glob(f"{path.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return pages


def demo_papers(folder: Path) -> list[Path]:
    """See `_demo_papers`; the minutes' clock times are Beijing time, as in the room."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    try:
        return _demo_papers(folder)
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def _demo_papers(folder: Path) -> list[Path]:
    """The demo meeting as it was held (`core.office.demo`: sign-in, reports, commentary,
    questions, one left unanswered, overruns, 72 ballots, one override), then its papers,
    written by the same code as the commands: the result workbook, the minutes, one
    feedback letter (信访办, whose date once sat alone on a page), the 通报, the 排名表,
    the paper ballot and the sign-in sheet."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sanshu_data import demo_meeting_path

    from core.meeting.store import MeetingStore
    from core.office import templates
    from core.office.bulletin import write_bulletin, write_ranking_docx
    from core.office.data import load_office_results
    from core.office.demo import held_demo_meeting
    from core.office.letters import write_letters
    from core.office.minutes import write_minutes
    from core.office.paper_ballot import write_paper_ballot
    from core.office.results_book import to_xlsx
    from core.office.signin import write_signin
    from core.record.entries import Record

    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "demo-papers.db"
    source = demo_meeting_path()
    held_demo_meeting(db, source.read_text(encoding="utf-8"), source.name)
    with MeetingStore(db) as store:
        meeting = store.meeting
        results = load_office_results(store)

        def template(kind: str) -> templates.Template:
            return templates.load_for(kind, meeting, folder)

        papers = {
            "results": folder / "demo-results.xlsx",
            "minutes": folder / "demo-minutes.docx",
            "bulletin": folder / "demo-bulletin.docx",
            "ranking": folder / "demo-ranking.docx",
            "ballot": folder / "demo-ballot.docx",
            "signin": folder / "demo-signin.docx",
        }
        to_xlsx(results, papers["results"])
        write_minutes(store, papers["minutes"], template("minutes"))
        write_bulletin(results, template("bulletin"), papers["bulletin"])
        write_ranking_docx(results, template("ranking"), papers["ranking"])
        write_paper_ballot(
            meeting, results.made_on, template("ballot"), papers["ballot"], ["党员代表"]
        )
        write_signin(store, template("signin"), papers["signin"])
        letters = write_letters(results, Record(store), folder / "letters", template("letter"))
    letter = folder / "demo-letter.docx"
    letter.write_bytes(next(p for p in letters if "-信访办-" in p.name).read_bytes())
    db.unlink()
    for extra in folder.glob("demo-papers.db-*"):
        extra.unlink()
    return [papers["results"], papers["minutes"], letter, *list(papers.values())[2:]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--demo", action="store_true", help="render the demo meeting's papers")
    parser.add_argument("--out", type=Path, default=Path("rendered"))
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args(argv)
    if not tools_available():
        print("soffice / pdftoppm not installed: nothing rendered")
        return 0
    files = list(args.files)
    if args.demo:
        with tempfile.TemporaryDirectory() as scratch:
            for path in demo_papers(Path(scratch)):
                kept = args.out / path.name
                args.out.mkdir(parents=True, exist_ok=True)
                kept.write_bytes(path.read_bytes())
                files.append(kept)
            return _render_all(files, args.out, args.dpi)
    return _render_all(files, args.out, args.dpi)


def _render_all(files: list[Path], out: Path, dpi: int) -> int:
    for path in files:
        for page in render(path, out, dpi):
            print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
