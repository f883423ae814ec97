"""The [phases] section and per-subject timings."""

from __future__ import annotations

from typing import Any

from core.i18n import t
from core.meeting.file.fields import FieldReader, _join
from core.meeting.file.values import _shown, _to_seconds, seconds_text
from core.meeting.model import TIMED_PHASES, Phase, PhaseTiming


class AgendaReader(FieldReader):
    def phases(
        self, value: Any, path: str, defaults: dict[Phase, PhaseTiming] | None
    ) -> dict[Phase, PhaseTiming]:
        table = self.table(value, path, TIMED_PHASES)
        out: dict[Phase, PhaseTiming] = {}
        for phase in TIMED_PHASES:
            where = _join(path, phase)
            if phase not in table:
                if defaults is None:
                    self.missing(where)
                continue
            entry = self.table(table[phase], where, ("duration", "warning", "danger", "auto_start"))
            base = defaults.get(phase) if defaults else None
            duration = self.duration(entry, where, "duration", base.duration if base else None)
            warning = self.duration(entry, where, "warning", base.warning if base else 60)
            danger = self.duration(entry, where, "danger", base.danger if base else 0)
            auto = self.field(entry, where, "auto_start", bool, base.auto_start if base else True)
            if duration is None or warning is None or danger is None:
                continue
            if duration <= 0:
                self.fail(_join(where, "duration"), t("err.positive", got=duration))
            if danger > 0 and warning <= danger:
                self.fail(
                    _join(where, "warning"),
                    t("err.threshold_order", warning=warning, danger=danger),
                )
            if warning > duration > 0:
                self.fail(
                    _join(where, "warning"),
                    t("err.threshold_duration", got=warning, duration=duration),
                )
            out[phase] = PhaseTiming(duration, warning, danger, bool(auto))
        return out

    def duration(
        self, table: dict[str, Any], path: str, key: str, default: int | None
    ) -> int | None:
        where = _join(path, key)
        if key not in table:
            if default is None:
                self.missing(where)
            return default
        seconds = _to_seconds(table[key])
        if seconds is None:
            self.fail(where, t("err.duration", got=_shown(table[key])))
        elif seconds < 0:
            self.fail(where, t("err.negative", got=_shown(table[key])))
            return None
        elif isinstance(table[key], str) and seconds_text(seconds) != table[key]:
            self.respell(where, seconds_text(seconds))
        return seconds
