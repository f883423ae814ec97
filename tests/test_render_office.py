"""The office papers render through LibreOffice (where it is installed) so a person can look."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import render_office

pytestmark = [
    pytest.mark.skipif(
        not (shutil.which("soffice") and shutil.which("pdftoppm")),
        reason="LibreOffice not installed",
    ),
    pytest.mark.slow,  # LibreOffice renders each paper: 3-7 s a test
]


def test_the_demo_papers_render_to_pages(tmp_path):
    papers = render_office.demo_papers(tmp_path / "papers")
    names = [p.stem for p in papers]
    assert names == [
        "demo-results",
        "demo-minutes",
        "demo-letter",
        "demo-bulletin",
        "demo-ranking",
        "demo-ballot",
        "demo-signin",
    ]
    workbook, minutes, letter = papers[:3]
    pages = render_office.render(workbook, tmp_path / "png", dpi=30)
    assert pages and all(p.stat().st_size > 1000 for p in pages)
    assert len(render_office.render(minutes, tmp_path / "png", dpi=30)) >= 2
    assert len(render_office.render(letter, tmp_path / "png", dpi=30)) == 2


def recalculated(path: Path, folder: Path):
    """The workbook as LibreOffice computes it: formulas get their values."""
    import subprocess
    import tempfile

    from openpyxl import load_workbook

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "xlsx:Calc MS Excel 2007 XML",
                "--outdir",
                str(folder),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return load_workbook(folder / path.name, data_only=True)


@pytest.mark.parametrize(
    "rules",
    [
        "",  # the demo: per criterion, averaged within categories
        'layout = "per_criterion_and_overall"',
        "average_within_category = false",
    ],
)
def test_the_detail_formulas_give_the_tallys_scores(tmp_path, clock, rules):
    """The spreadsheet's own formulas on 明细 (computed by LibreOffice) agree with the
    tally's criterion and vote scores, to the reported digits."""
    from core.ballots.demo import fill_demo_ballots
    from core.meeting.store import MeetingStore
    from tests.conftest import DEMO_TEXT
    from tui.cli import run

    text = DEMO_TEXT
    if rules:
        key = rules.split(" = ")[0]
        text = "\n".join(
            rules if line.startswith(f"{key} =") else line for line in text.splitlines()
        )
    db = tmp_path / "d.db"
    MeetingStore.create(db, text, "d.toml", clock=clock).close()
    with MeetingStore(db, clock=clock) as store:
        fill_demo_ballots(store)
    out = tmp_path / "r.xlsx"
    assert run(["tally", "--db", str(db), "--format", "xlsx", "--out", str(out)]) == 0
    sheet = recalculated(out, tmp_path / "calc")["明细"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    top = next(i for i, r in enumerate(rows) if r[0] == "述职对象")
    final = (rows[top].index("综合得分（公式）"), rows[top].index("综合得分"))
    compared = 0
    for row in rows[top + 1 :]:
        for formula, tally in ((7, 8), (9, 10), final):  # criterion, vote, final score
            if row[tally] is not None:
                assert round(row[formula], 2) == pytest.approx(row[tally], abs=0.005), row[:3]
                compared += 1
    assert compared >= 21 * 3
