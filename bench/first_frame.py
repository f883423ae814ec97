"""Run a Textual app until its first frame is on the terminal, write the wall-clock
time of that moment to a file and quit (used by bench_commands.py under a pty).

    python bench/first_frame.py trivial|host DB OUT
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    mode, db, out = sys.argv[1:4]
    if mode == "trivial":
        from textual.app import App, ComposeResult
        from textual.widgets import Digits

        class Base(App):
            def compose(self) -> ComposeResult:
                yield Digits("08:00")

        args: tuple = ()
    else:
        from tui.host import HostApp as Base

        args = (Path(db),)

    import inspect

    own = Base.CSS_PATH or []
    here = Path(inspect.getfile(Base)).parent

    class Timed(Base):  # type: ignore[misc, valid-type]
        # Textual reads CSS_PATH next to the file defining the class: keep the app's own.
        CSS_PATH = [here / path for path in ([own] if isinstance(own, str | Path) else own)]

        def on_ready(self) -> None:
            """Textual's Ready: the DOM is ready and the first frame has been displayed."""
            Path(out).write_text(repr(time.time()))
            self.exit()

    Timed(*args).run()


if __name__ == "__main__":
    main()
