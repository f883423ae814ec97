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
    """PNG pages of one office file, in page order. Raises RuntimeError when LibreOffice
    fails; returns [] when the tools are not installed."""
    if not tools_available():
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    # A private profile: a LibreOffice already running (or another render) cannot block us.
    with tempfile.TemporaryDirectory(prefix="render-office-") as profile:
        done = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    pdf = out_dir / (path.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"soffice failed on {path}: {done.stderr.strip() or done.stdout}")
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
    """The demo meeting held as a clerk would log it (commentary, questions, one left
    unanswered, an overrun), its 72 sample ballots and one override; then its result
    workbook and its minutes, written by the same code as `sanshu tally` / `minutes`."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sanshu_data import demo_meeting_path

    from core.ballots.demo import fill_demo_ballots
    from core.ballots.results import set_override
    from core.meeting.store import MeetingStore
    from core.office.data import load_office_results
    from core.office.minutes import write_minutes
    from core.office.results_book import to_xlsx
    from core.record.entries import Record

    class Clock:
        now = 1_706_578_800.0  # 2024-01-30 09:40 in Beijing

        def __call__(self) -> float:
            return self.now

    clock = Clock()
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "demo-papers.db"
    db.unlink(missing_ok=True)
    text = demo_meeting_path().read_text(encoding="utf-8")
    text = text.replace('organiser = "', 'host = "张主任"\nrecorder = "王记录"\norganiser = "', 1)
    MeetingStore.create(db, text, "demo-meeting.toml", clock=clock).close()
    with MeetingStore(db, clock=clock) as store:
        record = Record(store)
        for index, subject in enumerate(store.meeting.onsite):
            for phase_seconds in (462 + 40 * index, 270, 300 + 60 * index):
                if not store.state().step.timer.running:
                    store.toggle_timer()
                if phase_seconds == 270:
                    record.add_commentary(
                        subject.name, "李清", "要进一步发挥示范引领作用，持续擦亮支部党建品牌。"
                    )
                    record.add_commentary(subject.name, "张明", "整改措施要具体，时限要明确。")
                elif phase_seconds != 462 + 40 * index:
                    asked = record.add_question(
                        subject.name, "高天庚", "如何在工作中更好听取基层意见？"
                    )
                    record.mark_asking(asked)
                    record.answer(asked, "一是发挥代表主体作用；二是用好基层联系点。")
                    if index == 0:
                        open_one = record.add_question(
                            subject.name, "刘纪", "廉政风险点排查是否覆盖全部岗位？"
                        )
                        record.mark_asking(open_one)
                clock.now += phase_seconds
                store.move(1)
        clock.now += 600
        fill_demo_ballots(store)
        set_override(store, "信息中心", "一般", "党组研究：年度内发生一起信息安全事件")
        workbook = folder / "demo-results.xlsx"
        to_xlsx(load_office_results(store), workbook)
        minutes = folder / "demo-minutes.docx"
        write_minutes(store, minutes)
    db.unlink()
    for extra in folder.glob("demo-papers.db-*"):
        extra.unlink()
    return [workbook, minutes]


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
