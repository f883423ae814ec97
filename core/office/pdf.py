"""A Word document as PDF, through LibreOffice when it is installed (`soffice`)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from core.errors import StoreError
from core.i18n import t

TIMEOUT_S = 300


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(source: Path, folder: Path) -> Path:
    """`source` converted to folder/<stem>.pdf; a clear refusal without LibreOffice."""
    return to_pdfs([source], folder)[0]


def to_pdfs(sources: list[Path], folder: Path) -> list[Path]:
    """Several documents in one run of LibreOffice (it starts in seconds, converts fast)."""
    program = soffice()
    if program is None:
        raise StoreError(t("pdf.no_soffice"))
    folder.mkdir(parents=True, exist_ok=True)
    # A private profile: a LibreOffice already open on this PC cannot block the conversion.
    with tempfile.TemporaryDirectory(prefix="sanshu-pdf-") as profile:
        try:
            done = subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={Path(profile).as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    *map(str, sources),
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            raise StoreError(t("pdf.failed", file=sources[0].name, detail="timeout")) from None
    pdfs = [folder / (source.stem + ".pdf") for source in sources]
    for source, pdf in zip(sources, pdfs, strict=True):
        if done.returncode != 0 or not pdf.exists():
            detail = (done.stderr or done.stdout).strip()[-300:]
            raise StoreError(t("pdf.failed", file=source.name, detail=detail))
    return pdfs
