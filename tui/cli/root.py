"""The `sanshu` command group; each command group lives in a module of its own."""

from __future__ import annotations

import click

from core.i18n import set_language
from tui.cli.common import LANG_OPTION_KW


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--lang", **LANG_OPTION_KW)
def cli(lang: str) -> None:
    """三述：述职述责述廉会议系统 · Sanshu runs a 述职述责述廉 review meeting."""
    set_language(lang)
