"""A console never exits or freezes because another process holds the database (#19 §1).

A real `sqlite3` connection in another process takes the write lock (`BEGIN IMMEDIATE`)
and holds it while every write key of the podium, the clerk's console and the ledger
screen is pressed through Pilot. Each console keeps answering, says in one line what
happened, keeps its clock running and shows what the database really holds; the
writes that can wait are stored once the lock is gone, nothing typed is lost.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from textual.widgets import Input

from core.ledger.ledger import Ledger
from core.meeting.store import MeetingStore
from core.record.entries import Record
from tests.conftest import seen, ticked, wait_until
from tests.test_host_guards import snapshot
from tui.clerk import ClerkApp
from tui.host import HostApp
from tui.ledger import LedgerApp
from tui.widgets.confirm import Confirm

pytestmark = pytest.mark.fault

# Holds the write lock until told (a line on stdin), then lets go.
HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE meta SET value = value WHERE key = 'app'")
print("LOCKED", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


class Lock:
    """The write lock of a meeting database, held by another process."""

    def __init__(self, db):
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "LOCKED"

    def release(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("go\n")
            self.process.stdin.flush()
            self.process.wait(30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def notes(app) -> list[str]:
    """Every one-line note the console shows, as it shows them."""
    said: list[str] = []
    shown = app.notify

    def spy(message, *args, **kwargs):
        said.append(str(message))
        return shown(message, *args, **kwargs)

    app.notify = spy
    return said


# The podium's write keys, where each one writes: (agenda position, keys to press).
PODIUM_KEYS = [
    (0, ["space"]),  # the clock
    (0, ["plus"]),
    (0, ["minus"]),
    (0, ["r", "y"]),  # asks first, then cannot write
    (0, ["pagedown"]),  # the agenda
    (1, ["pageup"]),
    (12, ["v"]),  # open scoring
]


async def test_the_podium_answers_every_key_while_another_process_holds_the_lock(
    demo_db, clock, store
):
    store.toggle_timer()  # 述职 of the first subject, its clock running
    app = HostApp(demo_db, clock=clock, manage_service=False)
    async with app.run_test(size=(120, 32)) as pilot:
        said = notes(app)
        for position, keys in PODIUM_KEYS:
            store.move(position - store.state().position)
            if position == 12 and store.state().step.timer.running:
                store.toggle_timer()
            await seen(pilot)
            before = snapshot(store)
            with Lock(demo_db):
                said.clear()
                clock.advance(4)  # past the clicker's debounce and the last note
                await pilot.press(*keys)
                assert app.is_running
                assert not isinstance(app.screen, Confirm)
                assert snapshot(store) == before  # nothing half-done
                assert app.state == store.state()  # the screen shows what is stored
                assert any("数据库正忙" in note and "未执行" in note for note in said), keys
                clock.advance(1)
                await ticked(pilot)  # the clock keeps running while the lock is held
        # Closing scoring and showing the results, under the lock too.
        store.set_poll("open")
        await seen(pilot)
        with Lock(demo_db):
            said.clear()
            clock.advance(4)
            await pilot.press("v")
            assert isinstance(app.screen, Confirm)
            await pilot.press("y")
            assert app.is_running and store.poll() == "open"
            assert any("数据库正忙" in note for note in said)

        # Blanking the projector can wait: kept, and stored once the lock is gone.
        with Lock(demo_db) as lock:
            said.clear()
            clock.advance(4)
            await pilot.press("b")
            assert not store.projector_blank() and app.writes_waiting == 1
            assert any("已保留操作，稍后自动重试" in note for note in said)
            lock.release()
            await wait_until(pilot, store.projector_blank, what="the kept blanking stored")
            await wait_until(pilot, lambda: any("已补存 1 项操作" in n for n in said))
        assert "投影已黑屏" in str(app.query_one("#title-bar").render())


async def test_the_clerk_loses_nothing_while_the_database_is_busy(demo_db, clock):
    app = ClerkApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        said = notes(app)
        with Lock(demo_db) as lock:
            app.query_one("#asker", Input).value = "高天庚"
            box = app.query_one("#question-text")
            box.load_text("如何坚持全过程人民民主？")
            await pilot.press("enter")
            box.load_text("第二个问题：如何推动党建与业务融合？")
            await pilot.press("enter")
            assert app.is_running and app.writes_waiting == 2
            assert box.text == ""  # free for the next question at once
            assert any("已保留操作" in note for note in said)
            assert Record(app.store).questions("法工委") == []
            lock.release()
            await wait_until(
                pilot, lambda: len(Record(app.store).questions("法工委")) == 2, what="both stored"
            )
    with MeetingStore(demo_db) as check:
        texts = [q.text for q in Record(check).questions("法工委")]
    assert texts == ["如何坚持全过程人民民主？", "第二个问题：如何推动党建与业务融合？"]


async def test_the_ledger_screen_keeps_a_new_item_until_it_can_be_stored(demo_db, clock):
    app = LedgerApp(demo_db, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        said = notes(app)
        with Lock(demo_db) as lock:
            await pilot.press("a")
            form = app.screen
            form.query_one("#f-problem", Input).value = "干部档案管理不规范"
            form.query_one("#f-deadline", Input).value = "2024年6月30日"
            await pilot.press("ctrl+s")
            assert app.is_running and app.screen is not form
            assert any("已保留操作" in note for note in said)
            lock.release()
            await wait_until(pilot, lambda: Ledger(app.store).items(), what="the item stored")
            await seen(pilot)
        item = Ledger(app.store).items()[0]
        assert item.problem == "干部档案管理不规范"
        with Lock(demo_db):
            said.clear()
            clock.advance(4)
            await pilot.press("c")  # 销号: refused in one line, the item stays open
            assert app.is_running
            assert any("数据库正忙" in note for note in said)
            assert not Ledger(app.store).items()[0].closed
