"""Render office files (.xlsx, .docx) to PNG pages through LibreOffice, to look at them.

    python scripts/render_office.py 结果.xlsx 会议记录.docx --out rendered/ [--dpi 80]

Each file becomes FILE.pdf and FILE-1.png, FILE-2.png, … in --out. Needs `soffice`
(LibreOffice) and `pdftoppm` (poppler-utils); without them it says so and exits 0,
so it can run anywhere. `render()` is what tests call.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("rendered"))
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args(argv)
    if not tools_available():
        print("soffice / pdftoppm not installed: nothing rendered")
        return 0
    for path in args.files:
        for page in render(path, args.out, args.dpi):
            print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
