"""What every sanshu console shares: a crash never shows a traceback to the user."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import platformdirs
from rich.console import Console
from textual.app import App

from core.i18n import t


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir("sanshu"))


def crash_log() -> Path:
    path = data_dir() / "crash.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


class SanshuApp(App[None]):
    ENABLE_COMMAND_PALETTE = False  # every action has its own key

    def _print_error_renderables(self) -> None:
        """Textual would print the traceback; we keep it in a log and say so in Chinese.

        The meeting itself is safe: every change was committed when it happened.
        """
        if not self._exit_renderables:
            return
        log = crash_log()
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {dt.datetime.now().isoformat()} {type(self).__name__}\n")
            console = Console(file=handle, width=120, color_system=None)
            for renderable in self._exit_renderables:
                console.print(renderable)
        self._exit_renderables.clear()
        self.error_console.print(t("cli.crash", log=log), style="red", highlight=False)
