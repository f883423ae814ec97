"""Importers never change data silently: every defect of a real workbook is listed with
its sheet, row and column, all at once, and nothing is stored."""

from __future__ import annotations

from openpyxl import Workbook, load_workbook

from core.ballots.importing import header
from core.ballots.results import load_ballots, load_tally
from tui.cli import run

C1 = "抓基层党建工作"


def ballot_count(store) -> int:
    return store.db.execute("SELECT count(*) FROM ballots").fetchone()[0]


def clean_sheet(store, rows: int = 2) -> Workbook:
    """A filled ballot workbook as the template would give it."""
    book = Workbook()
    sheet = book.active
    sheet.title = "测评票"
    heads = header(store)
    sheet.append(heads)
    for index in range(rows):
        sheet.append(
            ["党员代表", *(["好", "较好", "一般"][(index + c) % 3] for c in range(len(heads) - 1))]
        )
    return book


def import_file(db, path, *extra):
    return run(["ballots", "import", "--db", str(db), str(path), *extra])


def test_template_then_import(demo_db, store, tmp_path):
    template = tmp_path / "template.xlsx"
    assert run(["ballots", "template", "--db", str(demo_db), "--out", str(template)]) == 0
    book = load_workbook(template)
    assert book.sheetnames == ["测评票", "说明"]
    sheet = book["测评票"]
    heads = [c.value for c in sheet[1]]
    assert heads == header(store) and heads[1] == f"法工委/{C1}"
    assert sheet.freeze_panes == "B2"
    assert sheet.column_dimensions["A"].width >= 12 and sheet.column_dimensions["B"].width >= 5
    # The header reads top to bottom over narrow grade columns, tall enough for the longest.
    assert sheet["B1"].alignment.text_rotation == 255
    assert sheet.row_dimensions[1].height >= 14 * max(len(h) for h in heads)
    lists = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    category, grades = lists["A2:A1000"], next(v for k, v in lists.items() if k.startswith("B2:"))
    guide = book["说明"]
    values = [c.value for c in guide["A"]]

    def listed(dv):  # '说明'!$A$10:$A$15 → the cells' values
        first, last = (int(part.split("$")[-1]) for part in dv.formula1.split(":"))
        return values[first - 1 : last]

    assert listed(category) == [
        "党组成员",
        "机关党委委员",
        "机关纪委委员",
        "驻机关纪检监察组",
        "支部书记和支委委员",
        "党员代表",
    ]
    assert listed(grades) == ["好", "较好", "一般", "差", "不了解"]
    # Every grade column has the dropdown; a comment column takes free text.
    letter = {h: sheet.cell(row=1, column=i).column_letter for i, h in enumerate(heads, 1)}
    covered = {c.coordinate for r in grades.sqref.ranges for c in sheet[r.coord][0]}
    assert covered == {f"{letter[h]}2" for h in heads[1:] if not h.endswith("/意见建议")}
    assert any("每行录入一张测评票" in (v or "") for v in values)
    for row in range(2, 5):
        sheet.cell(row=row, column=1, value="党员代表")
        for column in range(2, len(heads) + 1):
            sheet.cell(row=row, column=column, value=["好", "较好", "一般"][(row + column) % 3])
    sheet.cell(row=4, column=2, value=None)  # blank abstains
    book.save(template)
    assert import_file(demo_db, template) == 0
    tally = load_tally(store)
    assert tally.ballots.returned == 3 and tally.ballots.valid == 3
    assert tally.ballots.imported == 3
    assert {b.source for b in load_ballots(store)} == {"import"}


def test_template_as_the_readme_wrote_it_and_without_a_file(demo_db, tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    assert run(["ballots", "template", "--db", str(demo_db), str(path)]) == 0 and path.exists()
    assert run(["ballots", "template", "--db", str(demo_db)]) != 0
    assert "请用 --out 指定空白测评表的文件名" in capsys.readouterr().err


def test_every_problem_listed_with_sheet_row_and_column(demo_db, store, tmp_path, capsys):
    book = clean_sheet(store, rows=4)
    sheet = book.active
    heads = [c.value for c in sheet[1]]
    sheet.insert_rows(3, 2)  # two blank rows: the data now sits on sheet rows 2, 5, 6, 7
    # A duplicated column (the last grade renamed to repeat 法工委/C1), an unknown one.
    last_grade = len(heads) - 1  # the last column is the last subject's comment
    sheet.cell(row=1, column=last_grade, value=f"法工委/{C1}")
    sheet.cell(row=1, column=3, value="不存在的处/抓基层党建工作")
    sheet.cell(row=6, column=4, value="优秀")
    sheet.cell(row=7, column=1, value="路人甲")
    sheet.cell(row=5, column=5, value='=IF(1=1,"好","差")')  # no cached value: openpyxl writes none
    path = tmp_path / "dirty.xlsx"
    book.save(path)
    assert import_file(demo_db, path) == 1
    err = capsys.readouterr().err
    last = sheet.cell(row=1, column=last_grade).column_letter
    assert "dirty.xlsx" not in err or "测评票" in err
    assert f"“测评票”第 1 行：表头 “法工委/{C1}” 出现了不止一次（B、{last} 列）" in err
    assert "“测评票”第 1 行 C 列：未知的表头 “不存在的处/抓基层党建工作”" in err
    assert f"缺少 “{heads[2]}” 列" in err and f"缺少 “{heads[last_grade - 1]}” 列" in err
    assert "“测评票”第 6 行 D 列（" in err and "未知的等次 “优秀”" in err
    assert "“测评票”第 7 行 A 列：未知的测评人类别 “路人甲”" in err
    assert "“测评票”第 5 行 E 列（" in err and "公式没有保存计算结果" in err
    assert "共 7 处问题，未导入任何测评票" in err
    assert ballot_count(store) == 0


def test_a_missing_subject_column_is_not_silently_abstentions(demo_db, store, tmp_path, capsys):
    book = clean_sheet(store)
    book.active.delete_cols(2)
    path = tmp_path / "missing.xlsx"
    book.save(path)
    assert import_file(demo_db, path) == 1
    assert f"缺少 “法工委/{C1}” 列" in capsys.readouterr().err
    assert ballot_count(store) == 0


def test_the_same_file_twice_is_refused_unless_again(demo_db, store, tmp_path, capsys):
    path = tmp_path / "a.xlsx"
    clean_sheet(store).save(path)
    assert import_file(demo_db, path) == 0
    copy = tmp_path / "renamed copy.xlsx"
    copy.write_bytes(path.read_bytes())
    capsys.readouterr()
    assert import_file(demo_db, copy) == 1
    assert "已经导入过（当时的文件名：a.xlsx）" in capsys.readouterr().err
    assert ballot_count(store) == 2
    assert import_file(demo_db, copy, "--again") == 0
    assert ballot_count(store) == 4


def test_files_are_recognised_by_content_and_damaged_ones_explained(
    demo_db, store, tmp_path, capsys
):
    # An .xlsx saved under a .csv name imports.
    disguised = tmp_path / "ballots.csv"
    clean_sheet(store).save(disguised)
    assert import_file(demo_db, disguised) == 0
    # A damaged workbook, an old .xls, a picture: a clear message, exit 1, no crash.
    for name, data, message in [
        ("broken.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50, "不是能打开的 Excel 工作簿"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "另存为 .xlsx"),
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00", "既不是 .xlsx 工作簿，也不是 CSV"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        capsys.readouterr()
        assert import_file(demo_db, path) == 1, name
        err = capsys.readouterr().err
        assert message in err and "程序出错了" not in err, name
    assert ballot_count(store) == 2


def test_csv_in_utf8_with_or_without_bom_and_in_gb18030(demo_db, store, tmp_path):
    heads = header(store)
    line = ",".join(["党员代表", *(["好"] * 40 + ["较好"] * (len(heads) - 41))])
    text = ",".join(heads) + "\n" + line + "\n"
    for index, (encoding, bom) in enumerate([("utf-8", ""), ("utf-8", "\ufeff"), ("gb18030", "")]):
        path = tmp_path / f"b{index}.csv"
        path.write_bytes((bom + text).encode(encoding) + b"\n\n" * index)
        assert import_file(demo_db, path, "--again") == 0, encoding
    assert ballot_count(store) == 3


def test_csv_rows_are_the_sheets_own_rows(demo_db, store, tmp_path, capsys):
    heads = header(store)
    good = ",".join(["党员代表", *(["好"] * (len(heads) - 1))])
    bad = ",".join(["党员代表", "很好", *(["好"] * (len(heads) - 2))])
    path = tmp_path / "gaps.csv"
    path.write_text(",".join(heads) + f"\n{good}\n\n\n\n{bad}\n", encoding="utf-8")
    assert import_file(demo_db, path) == 1
    assert f"“gaps.csv”第 6 行 B 列（法工委/{C1}）：未知的等次 “很好”" in capsys.readouterr().err


def daily_import(db, path, *extra):
    return run(["daily", "import", "--db", str(db), str(path), *extra])


def test_daily_import_lists_every_problem_with_the_right_wording(demo_db, store, tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.title = "日常考核"
    sheet.append(["述职对象", "日常考核得分", "备注"])
    sheet.append(["法工委", 88])
    sheet.append([])
    sheet.append(["人事室", "一百"])
    sheet.append(["法工委", 90])
    sheet.append(["不存在的处", 90])
    sheet.append(["研究室", "=80+5"])
    path = tmp_path / "daily.xlsx"
    book.save(path)
    assert daily_import(demo_db, path) == 1
    err = capsys.readouterr().err
    assert "“日常考核”第 1 行 C 列：未知的表头 “备注”" in err
    assert "“日常考核”第 4 行 B 列：得分应为 0 到 100 之间、最多两位小数的数字，实为 “一百”" in err
    assert "“日常考核”第 5 行 A 列：“法工委” 在第 2 行已经出现过" in err
    assert "“日常考核”第 6 行 A 列：没有名为 “不存在的处” 的述职对象" in err
    assert "“日常考核”第 7 行 B 列：公式没有保存计算结果" in err
    assert "共 5 处问题，未导入任何日常考核得分" in err and "测评票" not in err
    assert store.db.execute("SELECT count(*) FROM daily_scores").fetchone()[0] == 0


def test_daily_import_twice_needs_again(demo_db, store, tmp_path, capsys):
    path = tmp_path / "daily.csv"
    path.write_bytes("述职对象,日常考核得分\n法工委,88.5\n人事室,91\n".encode("gb18030"))
    assert daily_import(demo_db, path, "--partial") == 0  # 2 of 21 subjects
    assert daily_import(demo_db, path, "--partial") == 1
    assert "--again" in capsys.readouterr().err
    assert daily_import(demo_db, path, "--partial", "--again") == 0
    scores = dict(store.db.execute("SELECT subject_id, score FROM daily_scores").fetchall())
    assert sorted(scores.values()) == ["177/2", "91"]


def test_a_title_row_above_and_hand_typed_headers_are_understood(demo_db, store, tmp_path):
    book = clean_sheet(store)
    sheet = book.active
    sheet.insert_rows(1)
    sheet.cell(row=1, column=1, value="2023年度述职述责述廉测评票（纸质汇总）")
    sheet.cell(row=2, column=2, value=f"法工委 ／ {C1}")  # full-width slash, spaces
    path = tmp_path / "titled.xlsx"
    book.save(path)
    assert import_file(demo_db, path) == 0
    assert ballot_count(store) == 2
