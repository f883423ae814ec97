"""Imported ballots are recognised by their content (#20 §2), carry comments (#20 §6),
and daily scores keep their stated rule (#22 §5); the entry template prints (#21 §5)."""

from __future__ import annotations

import csv
import io
import random
import shutil
import subprocess

import pytest
from openpyxl import Workbook, load_workbook

from core.ballots.importing import header
from core.ballots.storing import comments_by_subject
from tui.cli import run

GRADES = ("好", "较好", "一般", "不了解")


def ballot_rows(store, count: int, start: int = 0, comments: dict | None = None) -> list[list]:
    """Rows of the template's shape: every ballot a different mix of grades."""
    heads = header(store)
    rows = [heads]
    for n in range(start, start + count):
        rng = random.Random(n)  # ballot n is the same ballot in every file
        row = ["党员代表"]
        for text in heads[1:]:
            if text.endswith("/意见建议"):
                row.append((comments or {}).get((n, text.split("/")[0]), ""))
            else:
                row.append(rng.choice(GRADES))
        rows.append(row)
    return rows


def workbook(path, rows) -> None:
    book = Workbook()
    book.active.title = "测评票"
    for row in rows:
        book.active.append(row)
    book.save(path)


def as_csv(path, rows, encoding: str = "utf-8-sig") -> None:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))


def imported(db, path, *extra) -> int:
    return run(["ballots", "import", "--db", str(db), str(path), *extra])


def count(store) -> int:
    return store.db.execute("SELECT count(*) FROM ballots").fetchone()[0]


def test_a_resaved_or_converted_copy_is_refused_naming_its_rows(demo_db, store, tmp_path, capsys):
    rows = ballot_rows(store, 6)
    first = tmp_path / "支部.xlsx"
    workbook(first, rows)
    assert imported(demo_db, first) == 0 and count(store) == 6
    # Re-saved (other bytes, same ballots), and exported as CSV in GB18030.
    resaved = tmp_path / "支部（另存）.xlsx"
    book = load_workbook(first)
    book.active.column_dimensions["A"].width = 30
    book.save(resaved)
    converted = tmp_path / "支部.csv"
    as_csv(converted, rows, "gb18030")
    for copy in (resaved, converted):
        assert copy.read_bytes() != first.read_bytes()
        capsys.readouterr()
        assert imported(demo_db, copy) == 1
        err = capsys.readouterr().err
        assert "6 张票与此前导入的票（支部.xlsx）内容完全相同：第 2、3、4、5、6、7 行" in err
        assert "--again" in err
        assert count(store) == 6
    # --again stays the deliberate override.
    assert imported(demo_db, converted, "--again") == 0 and count(store) == 12


def test_rows_appended_to_an_imported_file_are_named_and_refused(demo_db, store, tmp_path, capsys):
    workbook(tmp_path / "a.xlsx", ballot_rows(store, 4))
    assert imported(demo_db, tmp_path / "a.xlsx") == 0
    more = ballot_rows(store, 4) + ballot_rows(store, 2, start=10)[1:]
    workbook(tmp_path / "b.xlsx", more)
    assert imported(demo_db, tmp_path / "b.xlsx") == 1
    assert "4 张票" in capsys.readouterr().err and count(store) == 4
    # Other ballots import; identical ballots within one file are two ballots.
    twice = ballot_rows(store, 2, start=10) + ballot_rows(store, 1, start=10)[1:]
    workbook(tmp_path / "c.xlsx", twice)
    assert imported(demo_db, tmp_path / "c.xlsx") == 0 and count(store) == 7


def test_what_is_kept_to_recognise_rows_leads_to_no_ballot(demo_db, store, tmp_path):
    workbook(tmp_path / "a.xlsx", ballot_rows(store, 5))
    assert imported(demo_db, tmp_path / "a.xlsx") == 0
    columns = [r[1] for r in store.db.execute("PRAGMA table_info(import_rows)")]
    assert columns == ["digest", "n"]  # no ballot id, no file, no time
    kept = store.db.execute("SELECT digest, n FROM import_rows").fetchall()
    assert len(kept) == 5 and all(n == 1 for _, n in kept)
    assert [d for d, _ in kept] == sorted(d for d, _ in kept)  # in the digest's order
    ids = {str(i) for (i,) in store.db.execute("SELECT id FROM ballots")}
    assert not any(i in d for d, _ in kept for i in ids)
    assert len(store.events("import.ballots")) == 1  # one event for the import


def test_comments_in_the_file_reach_the_comment_sheet(demo_db, store, tmp_path, capsys):
    comments = {
        (0, "法工委"): "会议记录规范，\n建议加强调研",
        (3, "法工委"): "工作扎实",
        (2, "人事室"): "x",
    }
    rows = ballot_rows(store, 4, comments=comments)
    workbook(tmp_path / "a.xlsx", rows)
    assert imported(demo_db, tmp_path / "a.xlsx") == 0
    got = comments_by_subject(store)
    assert got["法工委"] == sorted(["会议记录规范，\n建议加强调研", "工作扎实"])
    assert got["人事室"] == ["x"]
    # A comment longer than the phone form allows: refused with its cell.
    long = ballot_rows(store, 1, start=20, comments={(20, "法工委"): "长" * 501})
    workbook(tmp_path / "long.xlsx", long)
    capsys.readouterr()
    assert imported(demo_db, tmp_path / "long.xlsx") == 1
    column = header(store).index("法工委/意见建议") + 1
    letter = load_workbook(tmp_path / "long.xlsx").active.cell(row=1, column=column).column_letter
    assert f"第 2 行 {letter} 列：意见建议共 501 字，超过 500 字" in capsys.readouterr().err


def test_a_daily_score_with_three_decimals_is_refused_with_its_cell(
    demo_db, store, tmp_path, capsys
):
    path = tmp_path / "日常考核.csv"
    path.write_text("述职对象,日常考核得分\n法工委,85.123\n人事室,85.12\n", encoding="utf-8")
    assert run(["daily", "import", "--db", str(demo_db), str(path)]) == 1
    err = capsys.readouterr().err
    assert "第 2 行 B 列：得分应为 0 到 100 之间、最多两位小数的数字，实为 “85.123”" in err
    assert store.db.execute("SELECT count(*) FROM daily_scores").fetchone()[0] == 0
    path.write_text("述职对象,日常考核得分\n法工委,85.1\n人事室,85.12\n", encoding="utf-8")
    assert run(["daily", "import", "--db", str(demo_db), str(path), "--partial"]) == 0


def test_the_entry_template_prints_whole_subjects_per_page(demo_db, store, tmp_path):
    from core.ballots.template import PAGE_WIDTH, _page_breaks

    path = tmp_path / "测评票.xlsx"
    assert run(["ballots", "template", "--db", str(demo_db), "--out", str(path)]) == 0
    book = load_workbook(path)
    sheet, guide = book["测评票"], book["说明"]
    heads = header(store)
    assert [c.value for c in sheet[1]] == heads
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.print_title_rows == "$1:$1" and sheet.print_title_cols == "$A:$A"
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    # Every page break falls after a subject's comment column: no subject is split.
    breaks = [b.id for b in sheet.col_breaks.brk]
    assert breaks == _page_breaks(heads) and breaks
    assert all(heads[b - 1].endswith("/意见建议") for b in breaks)
    widths = [
        sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width
        for c in range(2, breaks[0] + 1)
    ]
    assert sheet.column_dimensions["A"].width + sum(widths) <= PAGE_WIDTH
    # The 说明 prints one page wide, its lines wrapped in rows tall enough for them.
    assert guide.page_setup.fitToWidth == 1 and guide.sheet_properties.pageSetUpPr.fitToPage
    assert guide.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert guide.row_dimensions[3].height > guide.row_dimensions[1].height


@pytest.mark.slow  # LibreOffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_copies_made_by_libreoffice_are_refused(demo_db, store, tmp_path, capsys):
    """What an office does: opens the imported workbook in LibreOffice, saves it again,
    and saves it as CSV; neither copy doubles the ballots."""
    source = tmp_path / "a.xlsx"
    workbook(source, ballot_rows(store, 5, comments={(1, "法工委"): "建议：加强学习"}))
    assert imported(demo_db, source) == 0
    out = tmp_path / "out"
    for target in ("xlsx", "csv:Text - txt - csv (StarCalc):44,34,76"):
        subprocess.run(
            ["soffice", "--headless", "--convert-to", target, "--outdir", str(out), str(source)],
            check=True,
            capture_output=True,
            timeout=180,
        )
    for copy in (out / "a.xlsx", out / "a.csv"):
        capsys.readouterr()
        assert imported(demo_db, copy) == 1, copy
        assert "5 张票与此前导入的票" in capsys.readouterr().err
    assert count(store) == 5
