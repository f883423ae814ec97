"""The message catalogues (core/i18n/locale/<lang>/LC_MESSAGES/sanshu.po) against the code.

Every key the code uses is found by Babel's extraction (the Python files of core/ and
tui/, and the web templates), so each key must be a literal where it is written.
A failure lists what to fix; after editing a .po, compile it:
    .venv/bin/pybabel compile -d core/i18n/locale -D sanshu
"""

from __future__ import annotations

import ast
import io
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from jinja2.ext import babel_extract

import core.i18n as i18n
from core.i18n import LANGUAGES, catalogue_path, set_language, t, tn

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("core", "tui")
SINGULAR, PLURAL = "t", "tn"  # t(key, **fields); tn(key, n, **fields)
KEYWORDS = {SINGULAR: None, PLURAL: None}
COMPILE = ".venv/bin/pybabel compile -d core/i18n/locale -D sanshu"


# -- what the code uses -------------------------------------------------------


def source_files() -> Iterator[tuple[Path, object]]:
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix == ".py":
                yield path, extract_python
            elif path.suffix == ".html" and "templates" in path.parts:
                yield path, babel_extract


def extracted() -> Iterator[tuple[str, int, str, object]]:
    """(file, line, function, key) for every t(...) and tn(...) call; the key is None
    (or not a string) when the first argument is not a literal."""
    for path, method in source_files():
        with path.open("rb") as fileobj:
            for lineno, funcname, messages, _comments in method(fileobj, KEYWORDS, (), {}):
                first = messages[0] if isinstance(messages, (tuple, list)) else messages
                yield str(path.relative_to(ROOT)), lineno, funcname, first


USED: dict[str, dict[str, list[str]]] = {}  # key → function → where
NOT_LITERAL: list[str] = []
for _file, _line, _func, _key in extracted():
    if isinstance(_key, str):
        USED.setdefault(_key, {}).setdefault(_func, []).append(f"{_file}:{_line}")
    else:
        NOT_LITERAL.append(f"{_file}:{_line}: {_func}(...) without a literal key")


# -- what the catalogues hold -------------------------------------------------


def load(lang: str) -> Catalog:
    with open(catalogue_path(lang, ".po"), "rb") as po:
        return read_po(po, abort_invalid=True)


CATALOGUES = {lang: load(lang) for lang in LANGUAGES}


def entries(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """msgid → its forms (one, or one per plural form)."""
    out = {}
    for message in catalog:
        if not message.id:
            continue  # the header
        key = message.id[0] if message.pluralizable else message.id
        forms = message.string if message.pluralizable else (message.string,)
        out[key] = tuple(forms)
    return out


ENTRIES = {lang: entries(catalog) for lang, catalog in CATALOGUES.items()}


def plural_keys(catalog: Catalog) -> set[str]:
    return {m.id[0] for m in catalog if m.id and m.pluralizable}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# -- the code against the catalogues ------------------------------------------


def message_calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        is_call = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if is_call and node.func.id in KEYWORDS:
            yield node


def test_every_key_is_a_literal_where_it_is_written():
    """Babel's extraction sees only literal keys: t(f"phase.{x}") or t(key) would hide a
    message from every check below. The syntax tree also shows what Babel would read
    wrongly (t("a" if x else "b") reads as "ab") or not at all: before Python 3.12 an
    f-string is one token, so a t() inside one is invisible to the extraction."""
    problems = list(NOT_LITERAL)
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            in_fstrings = {
                id(call)
                for fstring in ast.walk(tree)
                if isinstance(fstring, ast.JoinedStr)
                for call in message_calls(fstring)
            }
            for call in message_calls(tree):
                where = f"{path.relative_to(ROOT)}:{call.lineno}: {ast.unparse(call)[:70]}"
                first = call.args[0] if call.args else None
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    problems.append(f"{where}  (the key is not a literal)")
                elif id(call) in in_fstrings:
                    problems.append(f"{where}  (inside an f-string: use + or a variable)")
    assert not problems, "message keys the extraction cannot see:\n" + "\n".join(sorted(problems))


def test_the_extraction_finds_the_code_and_the_templates():
    """A guard on the guard: an extraction that silently found nothing passes everything."""
    files = {where.split(":")[0] for uses in USED.values() for w in uses.values() for where in w}
    assert len(USED) > 500
    assert any(f.endswith(".html") for f in files) and any(f.startswith("tui/") for f in files)
    assert PLURAL in USED["receipts.count"] and SINGULAR in USED["err.syntax"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_the_code_uses_is_in_the_catalogue(lang):
    missing = sorted(
        f"{key}  ({', '.join(w for ws in USED[key].values() for w in ws)})"
        for key in USED
        if key not in ENTRIES[lang]
    )
    assert not missing, f"keys used in the code but missing from {lang}/sanshu.po:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_messages_are_read_with_tn_and_the_others_with_t(lang):
    plural = plural_keys(CATALOGUES[lang])
    wrong = []
    for key, uses in USED.items():
        if key not in ENTRIES[lang]:
            continue  # reported above
        expected = PLURAL if key in plural else SINGULAR
        wrong += [
            f"{w}: {func}({key!r}) but the entry wants {expected}()"
            for func, ws in uses.items()
            if func != expected
            for w in ws
        ]
    assert not wrong, "\n".join(sorted(wrong))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalogue_entry_is_used(lang):
    unused = sorted(set(ENTRIES[lang]) - set(USED))
    assert not unused, f"entries of {lang}/sanshu.po no code uses:\n" + "\n".join(unused)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated(lang):
    catalog = CATALOGUES[lang]
    empty = sorted(key for key, forms in ENTRIES[lang].items() if not all(forms))
    fuzzy = sorted(str(m.id) for m in catalog if m.id and m.fuzzy)
    assert not empty, f"entries of {lang}/sanshu.po without a translation:\n" + "\n".join(empty)
    assert not fuzzy, f"fuzzy entries in {lang}/sanshu.po (not compiled):\n" + "\n".join(fuzzy)
    wrong_forms = sorted(
        f"{key}: {len(forms)} forms, the header says {catalog.num_plurals}"
        for key, forms in ENTRIES[lang].items()
        if key in plural_keys(catalog) and len(forms) != catalog.num_plurals
    )
    assert not wrong_forms, "\n".join(wrong_forms)


def test_the_plural_rules():
    assert CATALOGUES["zh"].plural_forms == "nplurals=1; plural=0;"
    assert CATALOGUES["en"].plural_forms == "nplurals=2; plural=(n != 1);"


def test_every_message_has_the_same_fields_in_every_language_and_form():
    """{name} fields are filled in by the code: a translation may move them, never drop,
    add or rename one (nor leave a brace unbalanced)."""
    problems = []
    for key, source in ENTRIES["zh"].items():
        try:
            wanted = fields(source[0])
        except ValueError as exc:
            problems.append(f"{key} (zh): {exc}")
            continue
        for lang in LANGUAGES:
            for number, form in enumerate(ENTRIES[lang].get(key, ())):
                try:
                    found = fields(form)
                except ValueError as exc:
                    problems.append(f"{key} ({lang}[{number}]): {exc}")
                    continue
                if found != wanted:
                    problems.append(
                        f"{key} ({lang}[{number}]): fields {sorted(found)}, zh has {sorted(wanted)}"
                    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalogue_is_the_source_compiled(lang):
    """The program reads the .mo; it must never drift from the .po beside it."""
    compiled = io.BytesIO()
    write_mo(compiled, load(lang))
    committed = Path(catalogue_path(lang)).read_bytes()
    assert compiled.getvalue() == committed, f"{lang}/sanshu.mo is stale: run {COMPILE}"


def test_english_translator_comments_give_the_chinese():
    """A translator sees the Chinese each English entry translates (so a change to the
    Chinese shows in the English catalogue too, for the translator to follow)."""
    wrong = []
    for message in CATALOGUES["en"]:
        if not message.id:
            continue
        key = message.id[0] if message.pluralizable else message.id
        chinese = ENTRIES["zh"].get(key, ("",))[0]
        # Babel wraps long comments (and strips their edges): compare without whitespace.
        if "".join("".join(message.auto_comments).split()) != "".join(chinese.split()):
            wrong.append(key)
    assert not wrong, "en entries whose #. comment is not the Chinese:\n" + "\n".join(wrong)


# -- the runtime --------------------------------------------------------------


def test_tn_picks_the_form_the_number_needs():
    assert tn("ledger.days_late", 1, days=1) == "逾期 1 天"
    assert tn("ledger.days_late", 3, days=3) == "逾期 3 天"
    set_language("en")
    assert tn("ledger.days_late", 1, days=1) == "1 day late"
    assert tn("ledger.days_late", 3, days=3) == "3 days late"
    assert tn("ledger.days_late", 0, days=0) == "0 days late"
    assert (
        tn("roster.not_clean", 1, file="名单.xlsx")
        == "名单.xlsx: 1 problem; no meeting was created:"
    )  # n fills {count}
    assert tn("receipts.count", 2) == "2 receipts"
    assert (
        tn("ledger.overdue_head", 1, date="2024-06-30")
        == "As of 2024-06-30, 1 item is past its deadline:"
    )


def test_a_message_counting_two_things_is_put_together_from_plural_parts():
    def done(items: int, results: int) -> str:
        return t(
            "carry.done",
            items=tn("carry.done.items", items),
            results=tn("carry.done.results", results),
            source="2024.db",
        )

    assert done(1, 2) == "已从 2024.db 带入 1 项未销号整改事项和 2 个述职对象的上年结果。"
    set_language("en")
    assert (
        done(1, 1) == "Brought 1 open rectification item and 1 subject's results over from 2024.db."
    )
    assert done(2, 3) == (
        "Brought 2 open rectification items and 3 subjects' results over from 2024.db."
    )


def test_the_language_comes_from_set_language_or_the_environment(monkeypatch):
    set_language(None)
    monkeypatch.setenv("SANSHU_LANG", "en_US.UTF-8")
    assert i18n.language() == "en" and t("status.yes") != "是" and t("phase.report") == "Report"
    monkeypatch.setenv("SANSHU_LANG", "zh")
    assert i18n.language() == "zh" and t("phase.report") == "述职"
    set_language("en")
    assert t("phase.report") == "Report"
    with pytest.raises(ValueError):
        set_language("fr")


def write_catalogue(folder: Path, lang: str, messages: dict[object, object]) -> None:
    catalog = Catalog(locale=lang, domain=i18n.DOMAIN, fuzzy=False)
    for key, text in messages.items():
        catalog.add(key, text)
    target = folder / lang / "LC_MESSAGES"
    target.mkdir(parents=True)
    buf = io.BytesIO()
    write_po(buf, catalog)
    (target / f"{i18n.DOMAIN}.po").write_bytes(buf.getvalue())
    with (target / f"{i18n.DOMAIN}.mo").open("wb") as mo:
        write_mo(mo, catalog)


def test_a_missing_message_falls_back_to_chinese_then_to_its_key(monkeypatch, tmp_path):
    write_catalogue(
        tmp_path,
        "zh",
        {"both": "两者", "only.zh": "只有中文 {name}", ("n.zh", "n.zh"): ("{count} 项",)},
    )
    write_catalogue(tmp_path, "en", {"both": "both"})
    monkeypatch.setattr(i18n, "LOCALE_DIR", str(tmp_path))
    monkeypatch.setattr(i18n, "_catalogues", {})
    set_language("en")
    assert t("both") == "both"
    assert t("only.zh", name="甲") == "只有中文 甲"
    assert tn("n.zh", 2) == "2 项"
    assert t("nowhere") == "nowhere" and t("nowhere", name="x") == "nowhere"
    assert tn("nowhere.n", 1) == "nowhere.n" and tn("nowhere.n", 5) == "nowhere.n"
    set_language("zh")
    assert t("only.zh", name="乙") == "只有中文 乙" and t("nowhere") == "nowhere"


def test_english_reads_one_catalogue(monkeypatch):
    """The Chinese catalogue is English's fallback, read only on a miss (none in the product)."""
    monkeypatch.setattr(i18n, "_catalogues", {})
    set_language("en")
    assert t("phase.report") == "Report" and tn("receipts.count", 2) == "2 receipts"
    assert list(i18n._catalogues) == ["en"]


# -- the vocabularies: every member has its words -----------------------------


def vocabularies() -> list[tuple[str, object, tuple[str, ...]]]:
    from core.ballots.labels import invalid_reason_label
    from core.ballots.tokens import Refusal
    from core.ballots.validity import ProblemKind
    from core.ledger.items import EDITABLE, STATUSES
    from core.ledger.labels import column_label, status_label
    from core.meeting.labels import mode_label, phase_label, poll_label
    from core.meeting.model import Mode, Phase, Poll
    from core.record.entries import QuestionState
    from core.record.labels import question_state_label
    from core.web.pages import refusal_text

    return [
        ("phase", phase_label, tuple(Phase)),
        ("poll", poll_label, tuple(Poll)),
        ("mode", mode_label, tuple(Mode)),
        ("question", question_state_label, tuple(QuestionState)),
        ("invalid", invalid_reason_label, tuple(ProblemKind)),
        ("web.refused", refusal_text, tuple(Refusal)),
        ("ledger.head", column_label, ("seq", "subject", *EDITABLE)),
        ("ledger.status", status_label, ("all", *STATUSES)),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_member_of_a_vocabulary_has_its_own_words(lang):
    set_language(lang)
    for prefix, label, members in vocabularies():
        words = [label(member) for member in members]
        assert all(w and not w.startswith(prefix + ".") for w in words), (prefix, words)
        assert len(set(words)) == len(words), (prefix, words)
        assert words == [t(f"{prefix}.{m}") for m in members]


def test_an_unknown_value_is_a_bug_not_a_guess():
    from core.meeting.labels import phase_label

    with pytest.raises(ValueError):
        phase_label("lunch")
