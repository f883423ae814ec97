"""Write a folder that installs Sanshu on a laptop with no network.

Run on any machine with Python 3.11+ and access to PyPI (the office PC, a developer's
laptop), from a checkout of Sanshu:

    python3 scripts/offline_bundle.py --out 三述离线安装包

The folder holds the Sanshu wheel, every dependency as a wheel at the exact version
of `requirements.lock`, for Windows (x64), Linux (x86_64 and aarch64, e.g. 统信UOS
and 麒麟 on Kunpeng/Phytium) and macOS (Intel and Apple silicon), for Python 3.11,
3.12 and 3.13, plus the install scripts and a short 安装说明.txt. Copy it to the
venue laptop (USB stick) and run `install.bat` (Windows) or `sh install.sh`
(Linux, macOS): it creates `sanshu-env` beside itself with `pip install --no-index`,
so nothing is fetched from the network.

`--platform linux` (or windows, macos) and `--python 3.12` narrow the bundle;
`--here` builds it for this machine's platform and Python only (what CI installs
with the network switched off).
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"

# pip tags per target (pip's --platform accepts several; the first that has a wheel wins).
PLATFORMS = {
    "windows": [["win_amd64"]],
    "linux": [
        ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"],
        ["manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"],
    ],
    "macos": [
        ["macosx_11_0_arm64", "macosx_12_0_arm64", "macosx_14_0_arm64"],
        ["macosx_10_9_x86_64", "macosx_10_13_x86_64", "macosx_11_0_x86_64"],
    ],
}
# What a dependency's environment marker sees on each target.
SYS_PLATFORM = {"windows": "win32", "linux": "linux", "macos": "darwin"}
PLATFORM_SYSTEM = {"windows": "Windows", "linux": "Linux", "macos": "Darwin"}
PYTHONS = ("3.11", "3.12", "3.13")

INSTALL_SH = """#!/bin/sh
# 三述 离线安装（Linux / macOS）：在本文件所在目录创建 sanshu-env，不访问网络。
set -e
cd "$(dirname "$0")"
PY="${PYTHON:-python3}"
"$PY" -m venv sanshu-env
sanshu-env/bin/python -m pip install --no-index --find-links wheels sanshu
echo
echo "安装完成。运行：$(pwd)/sanshu-env/bin/sanshu demo"
"""
INSTALL_BAT = """@echo off
rem 三述 离线安装（Windows）：在本文件所在目录创建 sanshu-env，不访问网络。
cd /d "%~dp0"
py -3 -m venv sanshu-env || python -m venv sanshu-env || goto :error
sanshu-env\\Scripts\\python -m pip install --no-index --find-links wheels sanshu || goto :error
echo.
echo 安装完成。运行：%~dp0sanshu-env\\Scripts\\sanshu demo
pause
exit /b 0
:error
echo 安装失败：请确认已安装 Python 3.11 至 3.13（python.org），再运行本文件。
pause
exit /b 1
"""
README = """三述 离线安装包

适用：没有网络的会场笔记本（Windows 10/11 x64；Linux x86_64 / aarch64，含统信UOS、麒麟；
macOS）。需要 Python 3.11、3.12 或 3.13（Windows 从 python.org 安装时勾选 “Add python.exe to PATH”；
统信UOS、麒麟一般自带 python3，可用 python3 --version 查看）。

安装：
  Windows：双击 install.bat
  Linux / macOS：在终端运行 sh install.sh
安装程序在本目录下创建 sanshu-env 文件夹，全程不访问网络。

运行演示会议：
  Windows：sanshu-env\\Scripts\\sanshu demo
  Linux / macOS：sanshu-env/bin/sanshu demo

会场网络、纸条、连通测试的准备步骤见 docs/venue.md（本包内 docs 文件夹）。

包内版本：{version}；依赖版本与 requirements.lock 完全一致。
包含平台：{platforms}；Python：{pythons}。
"""


def lock_lines() -> list[tuple[str, str | None]]:
    """(requirement, marker) for every pinned line of the lock."""
    out = []
    for raw in LOCK.read_text("utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-") or "==" not in line:
            continue
        requirement, _, marker = line.partition(";")
        out.append((requirement.strip(), marker.strip() or None))
    return out


def marker_holds(marker: str, target: str, python: str) -> bool:
    """A lock line's environment marker, as the target laptop will evaluate it."""
    try:
        from packaging.markers import Marker
    except ImportError:  # pip always carries a copy
        from pip._vendor.packaging.markers import Marker
    environment = {
        "sys_platform": SYS_PLATFORM[target],
        "platform_system": PLATFORM_SYSTEM[target],
        "os_name": "nt" if target == "windows" else "posix",
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }
    return bool(Marker(marker).evaluate(environment))


def run(command: list[str]) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def sanshu_wheel(wheels: Path) -> Path:
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)])
    return max(wheels.glob("sanshu-*.whl"), key=lambda p: p.stat().st_mtime)


def download(wheels: Path, wheel: Path, target: str, tags: list[str], python: str) -> None:
    """Every runtime dependency of the wheel for one platform and Python, as wheels only.
    pip evaluates markers for this machine, not the target: a dependency only the target
    needs (colorama on Windows) is added by name from the lock."""
    extra = [
        requirement
        for requirement, marker in lock_lines()
        if marker and marker_holds(marker, target, python)
    ]
    abi = "cp" + python.replace(".", "")
    command = [sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:"]
    for tag in tags:
        command += ["--platform", tag]
    command += ["--python-version", python, "--implementation", "cp", "--abi", abi]
    command += ["--abi", "abi3", "--abi", "none", "-c", str(LOCK), "-d", str(wheels)]
    run([*command, str(wheel), *extra])


def here() -> tuple[str, list[list[str]], tuple[str, ...]]:
    target = {"Windows": "windows", "Darwin": "macos"}.get(platform.system(), "linux")
    tag = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    if target == "linux":
        machine = platform.machine()
        tags = [[f"manylinux_2_28_{machine}", f"manylinux_2_17_{machine}", f"linux_{machine}"]]
    else:
        tags = [[tag]]
    return target, tags, (f"{sys.version_info.major}.{sys.version_info.minor}",)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="the folder to write")
    parser.add_argument("--platform", choices=[*PLATFORMS, "all"], default="all")
    parser.add_argument("--python", nargs="+", choices=PYTHONS, default=list(PYTHONS))
    parser.add_argument("--here", action="store_true", help="this machine's platform only")
    args = parser.parse_args(argv)
    if args.here:
        target, tag_sets, pythons = here()
        targets = {target: tag_sets}
    else:
        names = list(PLATFORMS) if args.platform == "all" else [args.platform]
        targets = {name: PLATFORMS[name] for name in names}
        pythons = tuple(args.python)
    out: Path = args.out
    wheels = out / "wheels"
    if out.exists():
        shutil.rmtree(out)
    wheels.mkdir(parents=True)
    wheel = sanshu_wheel(wheels)
    for target, tag_sets in targets.items():
        for tags in tag_sets:
            for python in pythons:
                download(wheels, wheel, target, tags, python)
    # The guides the program's messages cite ("详见 docs/venue.md"), beside it offline.
    shutil.copytree(ROOT / "docs", out / "docs", ignore=shutil.ignore_patterns("*.svg"))
    (out / "install.sh").write_text(INSTALL_SH, "utf-8", newline="\n")
    (out / "install.bat").write_text(INSTALL_BAT, "utf-8", newline="\r\n")
    version = re.search(r"sanshu-([^-]+)-", wheel.name)
    (out / "安装说明.txt").write_text(
        README.format(
            version=version[1] if version else "?",
            platforms="、".join(targets),
            pythons="、".join(pythons),
        ),
        "utf-8",
    )
    count = len(list(wheels.glob("*.whl")))
    size = sum(p.stat().st_size for p in wheels.iterdir()) / 1e6
    print(f"wrote {out}: {count} wheels, {size:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
