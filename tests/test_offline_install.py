"""The venue laptop often has no internet: every dependency is locked, and the offline
bundle (scripts/offline_bundle.py) installs with the network switched off."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"


def _pins() -> dict[str, str]:
    pins = {}
    for raw in LOCK.read_text("utf-8").splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].strip()
        if "==" in line:
            name, _, pinned = line.partition("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = pinned.strip()
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(text) for text in declared]


def test_every_declared_dependency_is_pinned_in_the_lock_within_its_range():
    pins = _pins()
    for requirement in _declared():
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pins, f"{requirement.name} is not in requirements.lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, pyproject asks {requirement}"
        )


def test_the_test_environment_runs_the_locked_versions():
    """The README's test command installs with `-c requirements.lock`: what runs is
    what the lock says, so a new release upstream cannot change a test run."""
    pins = _pins()
    for requirement in _declared():
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert version(requirement.name) == pins[name], name


@pytest.mark.slow
def test_the_offline_bundle_installs_with_no_network(tmp_path):
    """Build the bundle for this machine (wheels from the package registry, at the
    locked versions), then install it into a fresh environment where any network
    access fails: `pip install --no-index`, proxies pointing nowhere and, where this
    machine allows it, a network namespace with no interfaces at all."""
    bundle = tmp_path / "三述离线安装包"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "offline_bundle.py"), "--out", str(bundle),
         "--here"],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    assert (bundle / "install.bat").read_bytes().count(b"\r\n") > 5  # Windows line ends
    assert "--no-index" in (bundle / "install.sh").read_text("utf-8")
    assert "安装说明" in "".join(p.name for p in bundle.iterdir())
    assert (bundle / "docs" / "venue.md").is_file()  # the guide the messages cite
    offline = {
        **os.environ,
        "PIP_CONFIG_FILE": os.devnull,  # no index of this machine's pip configuration
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "PYTHON": sys.executable,
    }
    offline.pop("VIRTUAL_ENV", None)
    command = ["sh", str(bundle / "install.sh")]
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"]).returncode == 0:
        command = ["unshare", "-n", *command]
    result = subprocess.run(command, env=offline, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    sanshu = bundle / "sanshu-env" / "bin" / "sanshu"
    shown = subprocess.run(
        [str(sanshu), "--help"], env=offline, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    assert "述职述责述廉" in shown.stdout
