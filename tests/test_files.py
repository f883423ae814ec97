"""A user's file is read only when it is a regular file of a bounded size, and a zip
(.xlsx, .docx) only when its members would not inflate past a bound."""

from __future__ import annotations

import io
import os
import threading
import zipfile

import pytest

from core.files import FileRefused, check_zip, read_bounded


def test_a_regular_file_within_the_limit_is_read_whole(tmp_path):
    path = tmp_path / "会议.toml"
    path.write_bytes(b"x" * 1000)
    assert read_bounded(path, 1000) == b"x" * 1000


def test_a_larger_file_is_refused_with_its_name_and_the_limit(tmp_path):
    path = tmp_path / "大文件.csv"
    path.write_bytes(b"x" * 2049)
    with pytest.raises(FileRefused, match=r"大文件\.csv 超过 2 KB"):
        read_bounded(path, 2048)


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_refused_at_once(special):
    with pytest.raises(FileRefused, match="不是普通文件"):
        read_bounded(__import__("pathlib").Path(special), 1024)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "法工委述职报告.txt"
    os.mkfifo(fifo)
    outcome: list[object] = []
    reader = threading.Thread(target=lambda: outcome.append(_refusal(fifo)), daemon=True)
    reader.start()
    reader.join(timeout=5)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert "不是普通文件" in str(outcome[0])


def test_a_folder_and_a_missing_file_are_named(tmp_path):
    assert "不是普通文件" in str(_refusal(tmp_path))
    assert "找不到文件" in str(_refusal(tmp_path / "没有.xlsx"))


def _refusal(path) -> FileRefused:
    try:
        read_bounded(path, 1024)
    except FileRefused as exc:
        return exc
    raise AssertionError(f"{path} was read")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_real_workbook_passes_the_zip_check(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["类别", "法工委/抓基层党建工作"])
    path = tmp_path / "测评票.xlsx"
    book.save(path)
    check_zip(path.read_bytes(), path.name, 50 * 1024 * 1024)


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = _zip({"word/document.xml": b"\0" * (20 * 1024 * 1024)})  # 20 MB of zeros
    assert len(bomb) < 100_000  # a tiny file on disk
    with pytest.raises(FileRefused, match="解压后超过"):
        check_zip(bomb, "报告.docx", 50 * 1024 * 1024)


def test_members_adding_up_past_the_limit_are_refused():
    parts = {f"xl/worksheets/sheet{i}.xml": os.urandom(300_000) for i in range(4)}
    with pytest.raises(FileRefused, match="1 MB"):
        check_zip(_zip(parts), "book.xlsx", 1024 * 1024)


def test_a_renamed_file_that_is_not_a_zip_is_named():
    with pytest.raises(FileRefused, match="已损坏"):
        check_zip(b"not a zip at all", "名单.xlsx", 1024 * 1024)
