"""The office papers render through LibreOffice (where it is installed) so a person can look."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import render_office

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice not installed"
)


def test_the_demo_papers_render_to_pages(tmp_path):
    workbook, minutes = render_office.demo_papers(tmp_path / "papers")
    pages = render_office.render(workbook, tmp_path / "png", dpi=30)
    assert pages and all(p.stat().st_size > 1000 for p in pages)
    assert len(render_office.render(minutes, tmp_path / "png", dpi=30)) >= 2
