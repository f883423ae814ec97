"""The [[categories]] and [[subjects]] sections: who is reviewed and who scores."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from core.i18n import t
from core.meeting.file.agenda import AgendaReader
from core.meeting.file.fields import _MISSING, _join
from core.meeting.file.values import MAX_VOTERS_PER_CATEGORY, _decimal_text, _shown
from core.meeting.model import MODE_SPELLINGS, MODES, Category, Mode, Phase, PhaseTiming, Subject

VOTER_UNITS = "人名"  # expected = "4人"


class PeopleReader(AgendaReader):  # a subject may set its own phase timings
    def categories(self, top: dict[str, Any]) -> list[Category]:
        """The voter categories. `self.category_names` keeps every name read, also of a
        category whose weight or head-count is wrong (a subject's `weights` may name it)."""
        out: list[Category] = []
        weights: dict[str, Fraction | None] = {}
        self.category_names: list[str] = []
        for i, item in enumerate(self.items(top, "categories"), 1):
            path = f"categories[{i}]"
            entry = self.table(item, path, ("name", "weight", "expected"))
            name = self.field(entry, path, "name", str)
            weight = self.number(entry, path, "weight")
            weights[path] = weight
            expected = self.count(entry, path, "expected", VOTER_UNITS, _MISSING)
            if name is not None:
                self.category_names.append(name.strip())
            if weight is not None and weight < 0:
                self.fail(_join(path, "weight"), t("err.negative", got=_shown(entry["weight"])))
            if expected is not None and expected < 0:
                self.fail(_join(path, "expected"), t("err.negative", got=expected))
            elif expected is not None and expected > MAX_VOTERS_PER_CATEGORY:
                problem = t("err.too_many_voters", limit=MAX_VOTERS_PER_CATEGORY, got=expected)
                self.fail(_join(path, "expected"), problem)
            if name is not None and weight is not None and expected is not None:
                out.append(Category(name.strip(), weight, expected))
        self.unique([c.name for c in out], "categories", ".name")
        self.weights_sum(weights, "categories", lambda got: t("err.weights_sum", got=got))
        return out

    def subjects(
        self,
        top: dict[str, Any],
        category_names: list[str],
        defaults: dict[Phase, PhaseTiming],
    ) -> list[Subject]:
        """The subjects; `category_names` are every category name read (a subject's
        `weights` name them)."""
        out: list[Subject] = []
        modes_read = True
        for i, item in enumerate(self.items(top, "subjects"), 1):
            path = f"subjects[{i}]"
            entry = self.table(
                item,
                path,
                ("name", "unit", "person", "mode", "order", "daily", "scores", "phases", "weights"),
            )
            name = self.field(entry, path, "name", str)
            unit = self.field(entry, path, "unit", str, None)
            person = self.field(entry, path, "person", str, "")
            problems = len(self.problems)
            mode = self.choice(entry, path, "mode", MODES, Mode.WRITTEN, MODE_SPELLINGS)
            if "mode" not in entry:
                self.missing(_join(path, "mode"))
            modes_read = modes_read and len(self.problems) == problems
            order = self.field(entry, path, "order", int, i)
            scores = self.scores(entry, path)
            timings: dict[Phase, PhaseTiming] = {}
            if "phases" in entry:
                timings = self.phases(entry["phases"], _join(path, "phases"), defaults)
            weights = None
            if "weights" in entry:
                weights = self.subject_weights(
                    entry["weights"], _join(path, "weights"), category_names
                )
            if name is not None:
                out.append(
                    Subject(
                        name=name.strip(),
                        unit=(unit or name).strip(),
                        person=(person or "").strip(),
                        mode=mode,
                        order=order if order is not None else i,
                        scores=scores,
                        timings=timings,
                        weights=weights,
                    )
                )
        self.unique([s.name for s in out], "subjects", ".name")
        onsite_orders = [str(s.order) for s in out if s.mode == Mode.ONSITE]
        self.unique(onsite_orders, "subjects(onsite)", ".order")
        if out and modes_read and not any(s.mode == Mode.ONSITE for s in out):
            self.fail("subjects", t("err.no_onsite"))
        return out

    def scores(self, entry: dict[str, Any], path: str) -> dict[str, Fraction]:
        scores: dict[str, Fraction] = {}
        if "scores" in entry:
            table = entry["scores"]
            if not isinstance(table, dict):
                self.fail(
                    _join(path, "scores"),
                    t("err.type", expected=t("type.table"), got=_shown(table)),
                )
            else:
                for key in table:
                    value = self.number(table, _join(path, "scores"), key)
                    if value is not None:
                        scores[key] = value
        daily = self.number(entry, path, "daily", None)
        if daily is not None:
            scores["daily"] = daily
        for key, value in scores.items():
            if not 0 <= value <= 100:
                where = _join(
                    path, "daily" if key == "daily" and "daily" in entry else f"scores.{key}"
                )
                self.fail(where, t("err.number_range", low=0, high=100, got=_decimal_text(value)))
        return scores

    def subject_weights(
        self, value: Any, path: str, categories: list[str]
    ) -> dict[str, Fraction] | None:
        table = self.table(value, path, tuple(categories))
        weights: dict[str, Fraction | None] = {}
        for key in table:
            if key in categories:
                weights[key] = self.number(table, path, key)
        self.weights_sum(weights, path, lambda got: t("err.weights_sum", got=got))
        return {k: w for k, w in weights.items() if w is not None} or None
