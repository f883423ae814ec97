"""The venue's network (#18): which address phones use is chosen on purpose, kept with
the meeting, and checked whenever scoring opens; the Wi-Fi's QR code.

Interfaces come through the one seam (`check_venue(store, interfaces)`,
`slips_where(store, interfaces)`, `HostApp(venue_check=…)`): the lists below are what
a Windows laptop with VirtualBox and a VPN, a desktop with only loopback, or a laptop
on both Wi-Fi and Ethernet report."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest
import zxingcpp

from core.ballots.slips import qr_matrix
from core.errors import StoreError
from core.meeting.file import MeetingFileError, parse_meeting
from core.meeting.store import MeetingStore
from core.venue.addresses import Source, kept, slips_where
from core.venue.interfaces import Kind, choose, interface
from core.venue.readiness import check_venue
from core.venue.wifi import wifi_qr_text
from tests.conftest import DEMO_TEXT, wait_until
from tui.cli import run

WIFI = interface("WLAN", "192.168.1.23", description="Intel(R) Wi-Fi 6 AX201 160MHz")
VIRTUALBOX = interface(
    "以太网 2", "192.168.56.1", description="VirtualBox Host-Only Ethernet Adapter"
)
VPN = interface("EasyConnect", "172.29.0.5", description="Sangfor SSL VPN CS Support System VNIC")
LOOPBACK = interface("Loopback Pseudo-Interface 1", "127.0.0.1")
ETHERNET = interface("以太网", "10.10.8.40", description="Realtek PCIe GbE Family Controller")
HOTSPOT = interface(
    "本地连接* 2", "192.168.137.1", description="Microsoft Wi-Fi Direct Virtual Adapter #2"
)
NAME, PASSWORD = '会议室;A,B:"C"\\D', 'p;a,s:s\\"word'
WIFI_TEXT = 'WIFI:T:WPA;S:会议室\\;A\\,B\\:\\"C\\"\\\\D;P:p\\;a\\,s\\:s\\\\\\"word;;'


def venue_text(**fields: str) -> str:
    lines = "\n".join(f"{key} = {value}" for key, value in fields.items())
    return DEMO_TEXT + "\n[venue]\n" + lines + "\n"


def test_a_wifi_beside_virtualbox_and_a_vpn_is_chosen_and_the_others_are_marked():
    listed = [LOOPBACK, VIRTUALBOX, VPN, WIFI]
    assert [one.kind for one in listed] == [Kind.LOOPBACK, Kind.VIRTUAL, Kind.VPN, Kind.REAL]
    choice = choose(listed)
    assert choice.address == "192.168.1.23" and not choice.ambiguous


@pytest.mark.parametrize(
    ("name", "address", "description", "kind"),
    [
        ("docker0", "172.17.0.1", "", Kind.VIRTUAL),
        ("vEthernet (WSL)", "172.22.240.1", "Hyper-V Virtual Ethernet Adapter", Kind.VIRTUAL),
        ("VMware Network Adapter VMnet8", "192.168.80.1", "", Kind.VIRTUAL),
        ("virbr0", "192.168.122.1", "", Kind.VIRTUAL),
        ("tailscale0", "100.101.102.103", "", Kind.VPN),
        ("utun3", "10.8.0.2", "", Kind.VPN),
        ("以太网 3", "169.254.12.7", "Realtek USB GbE", Kind.LINK_LOCAL),
        ("wlp2s0", "10.42.0.1", "", Kind.HOTSPOT),  # NetworkManager's hotspot, 统信UOS, 麒麟
        ("bridge100", "192.168.2.1", "", Kind.HOTSPOT),  # macOS Internet Sharing
        ("en0", "192.168.31.20", "", Kind.REAL),
    ],
)
def test_each_kind_of_adapter_is_marked(name, address, description, kind):
    assert interface(name, address, description=description).kind == kind


def test_windows_hotspot_is_real_though_its_driver_calls_itself_virtual():
    assert HOTSPOT.kind == Kind.HOTSPOT and HOTSPOT.candidate


def test_only_loopback_means_no_address_phones_can_reach(store):
    choice = choose([LOOPBACK])
    assert choice.address is None and not choice.ambiguous and choice.candidates == ()
    readiness = check_venue(store, [LOOPBACK], ask_service=False)
    assert readiness.where.source == Source.LOOPBACK
    assert readiness.can_open and readiness.warnings  # a rehearsal on one laptop: said
    assert not readiness.ready


def test_two_real_adapters_are_never_guessed_between(store):
    choice = choose([WIFI, ETHERNET, VIRTUALBOX])
    assert choice.ambiguous and {one.address for one in choice.candidates} == {
        "192.168.1.23",
        "10.10.8.40",
    }
    with pytest.raises(StoreError) as refused:
        slips_where(store, [WIFI, ETHERNET, VIRTUALBOX])
    message = str(refused.value)
    assert "192.168.1.23（WLAN）" in message and "10.10.8.40（以太网）" in message
    assert "--address" in message and "192.168.56.1" not in message
    readiness = check_venue(store, [WIFI, ETHERNET], ask_service=False)
    assert not readiness.can_open and "--address" in readiness.blockers[0]
    # Chosen on purpose: then it is the one.
    assert slips_where(store, [WIFI, ETHERNET], "10.10.8.40").host == "10.10.8.40"


def test_slips_issued_later_keep_the_address_first_printed(demo_db, tmp_path, capsys):
    out = tmp_path / "slips.html"
    args = ["tokens", "--db", str(demo_db), "--out", str(out)]
    assert run([*args, "--address", "192.168.137.1"]) == 0
    said = capsys.readouterr().err
    assert "http://192.168.137.1:8700" in said and "本机现在没有地址" in said
    more = [*args, "--category", "党组成员", "--count", "2"]
    assert run([*more, "--address", "10.42.0.1"]) == 1
    assert "http://192.168.137.1:8700" in capsys.readouterr().err  # refused, and why
    assert run([*more, "--port", "8800"]) == 1
    assert run(more) == 0
    assert "http://192.168.137.1:8700/v/" in out.read_text("utf-8")
    with MeetingStore(demo_db) as store:
        assert kept(store) == ("192.168.137.1", 8700)


def test_a_reprint_for_a_new_address_revokes_the_old_slips(demo_db, tmp_path, capsys):
    out = tmp_path / "slips.html"
    args = ["tokens", "--db", str(demo_db), "--out", str(out)]
    assert run([*args, "--address", "192.168.137.1", "--urls"]) == 0
    old = capsys.readouterr().out.split()[0]
    assert run([*args, "--address", "10.42.0.1", "--port", "8800", "--reprint", "--urls"]) == 0
    new = capsys.readouterr().out.split()
    assert len(new) == 72 and all(u.startswith("http://10.42.0.1:8800/v/") for u in new)
    from core.ballots.tokens import find_token, issued_total

    with MeetingStore(demo_db) as store:
        assert find_token(store, old.rsplit("/", 1)[1]).revoked
        assert issued_total(store) == 72 and kept(store) == ("10.42.0.1", 8800)


def test_the_meeting_files_venue_gives_the_address_and_the_port(tmp_path):
    text = venue_text(address='"192.168.137.1"', port="8800")
    store = MeetingStore.create(tmp_path / "v.db", text, "v.toml")
    with store:
        place = check_venue(store, [WIFI], ask_service=False).where
        assert (place.host, place.port, place.source) == ("192.168.137.1", 8800, Source.VENUE)
        readiness = check_venue(store, [WIFI], ask_service=False)
        assert not readiness.can_open  # the file says the hotspot; this laptop is on Wi-Fi
        assert check_venue(store, [WIFI, HOTSPOT], ask_service=False).can_open


@pytest.mark.parametrize(
    ("fields", "where", "says"),
    [
        ({"address": '"localhost"'}, "venue.address", "IPv4"),
        ({"address": '"127.0.0.1"'}, "venue.address", "IPv4"),
        ({"port": "80"}, "venue.port", "1024"),
        ({"wifi_password": '"12345678"'}, "venue.wifi_name", "wifi_name"),
        ({"wifi_name": '"会场"', "security": '"WPA"'}, "venue.wifi_password", "nopass"),
        ({"wifi_name": '"会场"', "wifi_password": '"short"'}, "venue.wifi_password", "8"),
        ({"wifi_name": '"会场"', "security": '"WPA9"'}, "venue.security", "WPA"),
        (
            {"wifi_name": '"一二三四五六七八九十一"', "security": '"nopass"'},
            "venue.wifi_name",
            "32",
        ),
        ({"wifi": '"x"'}, "venue.wifi", "wifi_name"),
    ],
)
def test_a_wrong_venue_field_is_named(fields, where, says):
    with pytest.raises(MeetingFileError) as refused:
        parse_meeting(venue_text(**fields), "v.toml")
    assert any(p.path == where and says in p.message for p in refused.value.problems), str(
        refused.value
    )


def decode(data: str) -> list[str]:
    """The QR code qrcode draws for `data`, read back by a real decoder (zxing-cpp)."""
    zoom = 6
    matrix = qr_matrix(data)
    rows = [[False] * 4 + row + [False] * 4 for row in matrix]
    rows = [[False] * len(rows[0])] * 4 + rows + [[False] * len(rows[0])] * 4
    pixels = bytearray()
    for row in rows:
        line = bytes(0 if dark else 255 for dark in row for _ in range(zoom))
        pixels += line * zoom
    image = memoryview(bytes(pixels)).cast("B", (len(rows) * zoom, len(rows[0]) * zoom))
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_the_wifi_code_escapes_every_special_character_and_decodes_exactly():
    text = venue_text(wifi_name=f"'{NAME}'", wifi_password=f"'{PASSWORD}'")
    network = parse_meeting(text, "v.toml").network
    assert (network.wifi_name, network.wifi_password) == (NAME, PASSWORD)
    assert wifi_qr_text(network) == WIFI_TEXT
    assert decode(WIFI_TEXT) == [WIFI_TEXT]


def test_an_open_or_hidden_network_and_none_at_all():
    open_net = parse_meeting(venue_text(wifi_name='"会场"'), "v.toml")  # no password: open
    assert wifi_qr_text(open_net.network) == "WIFI:T:nopass;S:会场;;"
    hidden = parse_meeting(
        venue_text(wifi_name='"会场"', security='"nopass"', hidden="true"), "v.toml"
    )
    assert wifi_qr_text(hidden.network) == "WIFI:T:nopass;S:会场;H:true;;"
    assert wifi_qr_text(parse_meeting(DEMO_TEXT, "d.toml").network) is None


def test_slips_carry_the_wifi_code_and_the_two_steps_only_with_a_venue_wifi(tmp_path):
    from core.ballots.slips import slips_html
    from core.ballots.tokens import Slip

    slips = [Slip("T" * 26, "C" * 10, "党组成员")]
    plain, _ = slips_html("会议", "http://192.168.137.1:8700", slips)
    assert "① 连接会场无线网络" not in plain and plain.count("<svg") == 1
    with_wifi, _ = slips_html(
        "会议", "http://192.168.137.1:8700", slips, wifi=WIFI_TEXT, wifi_name=NAME
    )
    assert "① 连接会场无线网络" in with_wifi and "② 扫码测评" in with_wifi
    assert "保持连接此网络" in with_wifi and with_wifi.count("<svg") == 2
    assert "会议室;A,B:&#34;C&#34;\\D" in with_wifi  # the name, escaped for HTML only
    assert "密码" not in with_wifi  # an open network: no password line
    with_password, _ = slips_html(
        "会议",
        "http://192.168.137.1:8700",
        slips,
        wifi=WIFI_TEXT,
        wifi_name=NAME,
        wifi_password="ab;c",
    )
    assert "密码：ab;c" in with_password  # typed by hand on a phone that cannot scan it


def sanshu(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60
    )


def podium(db, clock, interfaces):
    """The podium on a laptop whose interfaces are `interfaces` (the seam)."""
    from tui.host import HostApp

    check = lambda s: check_venue(s, interfaces, ask_service=False)  # noqa: E731
    return HostApp(db, clock=clock, manage_service=False, venue_check=check)


# A documentation address (TEST-NET-3): no machine running these tests holds it.
ELSEWHERE = "203.0.113.7"


@pytest.fixture
def printed_elsewhere(demo_db, tmp_path):
    assert run(["tokens", "--db", str(demo_db), "--out", str(tmp_path / "s.html"),
                "--address", ELSEWHERE]) == 0  # fmt: skip
    return demo_db


def test_serve_refuses_a_meeting_printed_for_an_address_this_laptop_does_not_hold(
    printed_elsewhere,
):
    done = sanshu("serve", "--db", str(printed_elsewhere))
    assert done.returncode == 1
    assert f"http://{ELSEWHERE}:8700" in done.stderr and "本机现在没有地址" in done.stderr
    assert "--reprint" in done.stderr and "192.168.137.1" in done.stderr  # the ways out
    assert "Traceback" not in done.stderr
    # The port phones use is the slips': another is refused too.
    assert "8701" in sanshu("serve", "--db", str(printed_elsewhere), "--port", "8701").stderr


def test_poll_open_refuses_and_scoring_stays_closed(printed_elsewhere):
    done = sanshu("poll", "open", "--db", str(printed_elsewhere))
    assert done.returncode == 1 and "本机现在没有地址" in done.stderr
    with MeetingStore(printed_elsewhere) as store:
        assert store.poll() == "not_open"


def test_network_json_says_not_ready_and_why(printed_elsewhere):
    done = sanshu("network", "--db", str(printed_elsewhere), "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["ready"] is False and report["holds_address"] is False
    assert report["slips_address"] == f"http://{ELSEWHERE}:8700"
    assert report["port"] == 8700 and report["phones_tested"] == 0
    assert {"name", "address", "kind", "chosen"} <= set(report["addresses"][0])
    assert any("本机现在没有地址" in reason for reason in report["reasons"])
    shown = sanshu("network", "--db", str(printed_elsewhere))
    assert "不可以开会" in shown.stdout and ELSEWHERE in shown.stdout


async def refused_at_v(pilot, app) -> str:
    """`v` at the podium: the dialog's text (scoring did not open)."""
    from tui.venue import VenueProblem

    await pilot.press("v")
    await wait_until(pilot, lambda: isinstance(app.screen, VenueProblem))
    return str(app.screen.query_one("#venue-why").render())


async def test_the_podium_shows_both_addresses_and_the_ways_out_and_stays_closed(
    demo_db, clock, store
):
    from tui.venue import VenueProblem

    store.set_meta("base_url", "http://192.168.137.1:8700")  # printed for the hotspot
    store.move(12)
    app = podium(demo_db, clock, [LOOPBACK, WIFI])
    async with app.run_test(size=(120, 36)) as pilot:
        shown = await refused_at_v(pilot, app)
        assert "http://192.168.137.1:8700" in shown and "192.168.1.23（WLAN）" in shown
        assert "开启本机热点" in shown and "--reprint" in shown
        await pilot.press("escape")
        assert store.poll() == "not_open" and app.state.poll == "not_open"
        # The hotspot started: checking again opens scoring.
        app.venue_check = lambda s: check_venue(s, [WIFI, HOTSPOT], ask_service=False)
        await pilot.press("v")
        await wait_until(pilot, lambda: app.state.poll == "open")
        assert not isinstance(app.screen, VenueProblem)


async def test_the_podium_asks_which_address_when_there_are_several(demo_db, clock, store):

    store.move(12)
    app = podium(demo_db, clock, [WIFI, ETHERNET])
    async with app.run_test(size=(120, 36)) as pilot:
        shown = await refused_at_v(pilot, app)
        assert "按 1：选用 192.168.1.23（WLAN）" in shown
        assert "按 2：选用 10.10.8.40（以太网）" in shown
        await pilot.press("2")
        await wait_until(pilot, lambda: app.state.poll == "open")
        assert kept(store) == ("10.10.8.40", 8700)  # the projector and later slips use it


VENUE_WIFI = venue_text(wifi_name=f"'{NAME}'", wifi_password=f"'{PASSWORD}'")
HALL = "http://10.42.0.1:8700"


@pytest.fixture
def wifi_db(tmp_path, clock):
    MeetingStore.create(tmp_path / "w.db", VENUE_WIFI, "w.toml", clock=clock).close()
    return tmp_path / "w.db"


@pytest.mark.slow
@pytest.mark.parametrize("size", [(64, 18), (120, 40), (240, 67)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_projector_shows_the_wifi_code_and_the_test_code_in_turn(wifi_db, clock, size):
    """During the connection test and while scoring is open, the code column shows ① the
    Wi-Fi's code and ② the address's in turn; each decodes, whole, at every size."""
    from tests.conftest import settle, ticked
    from tests.test_projector_fit import image_of, inside
    from tui.display import DisplayApp
    from tui.venue import CODE_SECONDS

    with MeetingStore(wifi_db, clock=clock) as store:
        store.set_meta("base_url", HALL)
        from core.venue.readiness import set_testing

        set_testing(store, True)
    app = DisplayApp(wifi_db, clock=clock)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        qr = app.query_one("#qr")

        async def shown() -> list[str]:
            assert inside(qr.region, app.screen.region), size
            return [code.text for code in zxingcpp.read_barcodes(image_of(qr))]

        assert "连通测试" in str(app.query_one("#phase").render())
        # This name and password make a code of 37 modules: too tall for 18 rows, so at
        # 64x18 the name and the password are spelled out in its turn instead.
        wifi_fits = size != (64, 18)
        seen = set()
        for _ in range(2):
            await ticked(pilot)
            await settle(pilot)
            found = await shown() if qr.display else []
            seen.update(found)
            caption = str(app.query_one("#address").render())
            if not found:
                assert NAME in caption and PASSWORD in caption and not wifi_fits
            clock.advance(CODE_SECONDS)
        assert seen == ({WIFI_TEXT} if wifi_fits else set()) | {f"{HALL}/test"}
        with MeetingStore(wifi_db, clock=clock) as store:
            store.move(12)
            from core.venue.readiness import open_scoring

            open_scoring(store, check_venue(store, [HOTSPOT], ask_service=False))
            assert store.meta("connection_test") is None  # scoring ends the test
        await settle(pilot)
        seen = set()
        for _ in range(2):
            await ticked(pilot)
            await settle(pilot)
            seen.update(await shown() if qr.display else [])
            clock.advance(CODE_SECONDS)
        assert seen == ({WIFI_TEXT} if wifi_fits else set()) | {HALL}


async def test_the_podium_runs_the_connection_test_and_the_projector_follows(wifi_db, clock):
    from tests.conftest import settle
    from tui.venue import ConnectionTest

    app = podium(wifi_db, clock, [WIFI])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ConnectionTest))
        with MeetingStore(wifi_db) as store:
            assert store.meta("connection_test") == "1"
        codes = [c.data for c in app.screen.codes]
        assert codes == [WIFI_TEXT, "http://192.168.1.23:8700/test"]
        note = str(app.screen.query_one("#test-note").render())
        assert "连接成功" in note and "保持连接" in note and "扫描上面的二维码" in note
        await pilot.resize_terminal(80, 24)  # the codes no longer fit: spelled out
        await wait_until(pilot, lambda: not app.screen.query_one("#test-codes").display)
        note = str(app.screen.query_one("#test-note").render())
        assert "扫描投影上的二维码" in note and "上面" not in note.split("（")[0]
        await pilot.press("escape")
        await settle(pilot)
        with MeetingStore(wifi_db) as store:
            assert store.meta("connection_test") is None
        await pilot.press("question_mark")
        assert "按 c 做连通测试" in str(app.screen.query_one("#help-note").render())


def test_the_demo_files_venue_example_is_valid_when_uncommented():
    lines = DEMO_TEXT.splitlines()
    start = lines.index("# [venue]")
    block = []
    for line in lines[start:]:
        if not line.startswith("# "):
            break
        block.append(line[2:])
    assert block[0] == "[venue]" and len(block) == 6
    network = parse_meeting(DEMO_TEXT + "\n" + "\n".join(block) + "\n", "demo.toml").network
    assert (network.address, network.port, network.wifi_name) == ("192.168.137.1", 8700, "会议室")
    assert wifi_qr_text(network) == "WIFI:T:WPA;S:会议室;P:12345678;;"


def test_a_port_held_by_another_program_is_said_with_the_way_out(demo_db, tmp_path):
    """Another program on the meeting's port: the podium's service start and `sanshu
    serve` say so in Chinese (and how to get out of it); nothing is started."""
    from core.venue.addresses import Where, keep
    from core.web.serve import ensure_service
    from tests.conftest import free_port

    port = free_port()
    with socket.socket() as other:  # the other program, on loopback like the service
        other.bind(("127.0.0.1", port))
        other.listen()
        with MeetingStore(demo_db) as store:
            keep(store, Where("127.0.0.1", port, Source.SLIPS), "test")
            with pytest.raises(StoreError) as refused:
                ensure_service(store, demo_db)
        assert f"端口 {port} 已被其他程序占用" in str(refused.value)
        assert "--port" in str(refused.value)
        done = sanshu("serve", "--db", str(demo_db), "--address", "127.0.0.1", "--port", str(port))
        assert done.returncode == 1 and f"端口 {port} 已被占用" in done.stderr
        assert "--port" in done.stderr and "Traceback" not in done.stderr


def test_the_address_chosen_at_the_podium_is_the_one_slips_carry(demo_db, tmp_path, capsys):
    """`sanshu host --address --port` keeps them with the meeting (before the podium
    opens): slips printed afterwards carry them, and once slips are printed another
    address is refused."""
    from tui.cli.network import keep_choice

    keep_choice(demo_db, "10.42.0.1", 8800)
    out = tmp_path / "slips.html"
    assert run(["tokens", "--db", str(demo_db), "--out", str(out)]) == 0
    assert "http://10.42.0.1:8800/v/" in out.read_text("utf-8")
    with pytest.raises(StoreError) as refused:
        keep_choice(demo_db, "192.168.137.1", None)
    assert "http://10.42.0.1:8800" in str(refused.value) and "--reprint" in str(refused.value)


async def test_the_phone_count_is_only_for_the_meeting_and_the_laptop_is_not_counted(
    demo_db, clock
):
    """The test page opened from this laptop (loopback) says 连接成功 with the meeting's
    name but counts no phone; the count is there only for the meeting's id."""
    from aiohttp.test_utils import TestClient, TestServer

    from core.web.app import create_app

    with MeetingStore(demo_db) as store:
        uid, title = store.meta("meeting_uid"), store.meeting.title
    async with TestClient(TestServer(create_app(demo_db, clock=clock))) as client:
        page = await client.get("/test")
        html = await page.text()
        assert page.status == 200 and "连接成功" in html and title in html
        style = await client.get("/test.css")
        assert style.status == 200 and style.content_type == "text/css"
        for asked in ("/test/count", "/test/count?meeting=someone-else"):
            refused = await client.get(asked)
            assert refused.status == 404 and "phones_tested" not in await refused.text()
        count = await (await client.get(f"/test/count?meeting={uid}")).json()
        assert count["phones_tested"] == 0  # this laptop's own visit


async def test_a_rehearsals_service_left_on_the_port_keeps_scoring_closed(demo_db, tmp_path, clock):
    """A rehearsal's podium quit and left its ballot service on the port: the real
    meeting's `v` would have opened scoring onto it (every slip 测评码无效). It says
    whose service it is and how to stop it, scoring stays closed; a reopening in the
    office, away from the venue, still works for the record."""
    import shutil
    import urllib.request

    from core.meeting.model import Poll
    from core.venue.addresses import Where, keep
    from core.web.serve import start_service
    from tests.conftest import free_port, wait_for
    from tui.host import HostApp
    from tui.venue import VenueProblem

    port = free_port()
    rehearsal = tmp_path / "rehearsal.db"
    shutil.copy(demo_db, rehearsal)
    with MeetingStore(rehearsal) as other:
        other.set_meta("meeting_uid", "rehearsal")
    with MeetingStore(demo_db) as store:
        keep(store, Where("127.0.0.1", port, Source.SLIPS), "test")
        store.move(12)  # 测评
    left = start_service(rehearsal, port)
    try:
        url = f"http://127.0.0.1:{port}/health"
        wait_for(lambda: urllib.request.urlopen(url, timeout=1).read() == b"ok")
        app = HostApp(demo_db, clock=clock)  # runs its own service: looks at the port
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("v")
            dialog = await wait_until(
                pilot, lambda: isinstance(app.screen, VenueProblem) and app.screen
            )
            said = "\n".join(dialog.readiness.blockers)
            assert f"端口 {port} 正被另一场会议的测评服务占用" in said and "pkill" in said
            assert app.store.poll() == Poll.NOT_OPEN
        with MeetingStore(demo_db) as store:
            store.set_poll(Poll.OPEN)
            store.set_poll(Poll.CLOSED)
            keep(store, Where("10.42.0.1", port, Source.SLIPS), "test")  # not this laptop
        done = sanshu("poll", "open", "--db", str(demo_db), "--reason", "补录纸质票")
        assert done.returncode == 0, done.stderr
        assert "手机无法提交" in done.stderr
        with MeetingStore(demo_db) as store:
            assert store.poll() == Poll.OPEN
    finally:
        left.terminate()
        left.wait(timeout=20)


def test_with_no_address_at_all_the_reprint_suggests_this_systems_hotspot():
    from core.venue.readiness import hotspot_address

    assert hotspot_address("linux") == "10.42.0.1"  # NetworkManager: 统信UOS, 麒麟 too
    assert hotspot_address("win32") == "192.168.137.1"  # Windows Mobile Hotspot
