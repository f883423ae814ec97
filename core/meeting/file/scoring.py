"""Criteria, grades, the [scoring] rules and the [poll] section."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

from core.i18n import t
from core.meeting.file.fields import FieldReader, _join
from core.meeting.file.values import _shown
from core.meeting.model import (
    BLANK_POLICIES,
    COMBINATION_METHODS,
    LAYOUTS,
    Alert,
    Band,
    BlankPolicy,
    Category,
    Combination,
    Grade,
    Layout,
    PollRules,
    Rules,
    ShareRule,
    Trim,
    Validity,
)


class ScoringReader(FieldReader):
    def criteria(self, top: dict[str, Any]) -> list[str]:
        return self.strings(top, "", "criteria", required=True)

    def grades(self, top: dict[str, Any]) -> tuple[list[Grade], str | None]:
        before = len(self.problems)
        section = self.section(top, "grades", ("scale", "abstain"))
        scale = self.field(section, "grades", "scale", list) or []
        grades: list[Grade] = []
        self.grade_labels: list[str] = []
        labels = self.grade_labels
        for i, item in enumerate(scale, 1):
            path = f"grades.scale[{i}]"
            entry = self.table(item, path, ("label", "points"))
            label = self.field(entry, path, "label", str)
            points = self.number(entry, path, "points")
            if label is not None:
                labels.append(label.strip())  # a rule may name it even if its points are wrong
            if label is not None and points is not None:
                grades.append(Grade(label.strip(), points))
        if "scale" in section and not scale:
            self.fail("grades.scale", t("err.empty_list"))
        self.unique([g.label for g in grades], "grades.scale", ".label")
        self.scale_read = len(self.problems) == before
        abstain = self.field(section, "grades", "abstain", str, None)
        if abstain is not None and abstain in labels:
            self.fail("grades.abstain", t("err.abstain_is_grade", got=_shown(abstain)))
        return grades, abstain

    def rules(self, value: Any, labels: list[str], categories: list[Category]) -> Rules:
        path = "scoring"
        table = self.table(
            value,
            path,
            (
                "layout",
                "numeric",
                "average_within_category",
                "digits",
                "trim",
                "validity",
                "combination",
                "bands",
                "share_rules",
                "alerts",
            ),
        )
        layout = self.choice(table, path, "layout", LAYOUTS, Layout.PER_CRITERION)
        numeric = self.table(table.get("numeric", {}), "scoring.numeric", ("min", "max"))
        low = self.number(numeric, "scoring.numeric", "min", Fraction(0))
        high = self.number(numeric, "scoring.numeric", "max", Fraction(100))
        averaging = self.field(table, path, "average_within_category", bool, True)
        digits = self.field(table, path, "digits", int, 2)
        if digits is not None and not 0 <= digits <= 6:
            self.fail("scoring.digits", t("err.number_range", low=0, high=6, got=digits))

        trim_t = self.table(table.get("trim", {}), "scoring.trim", ("enabled", "more_than"))
        trim = Trim(
            enabled=bool(self.field(trim_t, "scoring.trim", "enabled", bool, False)),
            more_than=self.count(trim_t, "scoring.trim", "more_than", "人名", 5) or 5,
        )
        if trim.more_than < 2:
            self.fail(
                "scoring.trim.more_than", t("err.number_range", low=2, high="∞", got=trim.more_than)
            )

        val_t = self.table(
            table.get("validity", {}),
            "scoring.validity",
            ("top_grade_quota", "all_same_invalid", "blank", "over_return_voids"),
        )
        validity = Validity(
            top_grade_quota=self.share(val_t, "scoring.validity", "top_grade_quota"),
            all_same_invalid=bool(
                self.field(val_t, "scoring.validity", "all_same_invalid", bool, False)
            ),
            blank=self.choice(
                val_t, "scoring.validity", "blank", BLANK_POLICIES, BlankPolicy.ABSTAIN
            ),
            over_return_voids=bool(
                self.field(val_t, "scoring.validity", "over_return_voids", bool, True)
            ),
        )

        comb_t = self.table(
            table.get("combination", {}), "scoring.combination", ("method", "weights")
        )
        method = self.choice(
            comb_t, "scoring.combination", "method", COMBINATION_METHODS, Combination.WEIGHTED
        )
        combination = {"meeting": Fraction(1)}
        if "weights" in comb_t:
            combination = self.combination(comb_t["weights"], "scoring.combination.weights")

        bands = self.bands(table.get("bands", []), labels)
        share_rules = self.share_rules(table.get("share_rules", []), labels)
        alerts = self.alerts(table.get("alerts", []), labels)
        return Rules(
            layout=layout,
            numeric_range=(low or Fraction(0), high if high is not None else Fraction(100)),
            average_within_category=bool(averaging),
            trim=trim,
            validity=validity,
            combination_method=method,
            combination=combination,
            bands=bands,
            share_rules=share_rules,
            alerts=alerts,
            digits=digits if digits is not None else 2,
        )

    def combination(self, value: Any, path: str) -> dict[str, Fraction]:
        if not isinstance(value, dict):
            self.fail(path, t("err.type", expected=t("type.table"), got=_shown(value)))
            return {"meeting": Fraction(1)}
        weights: dict[str, Fraction | None] = {key: self.number(value, path, key) for key in value}
        if "meeting" not in value:
            self.fail(path, t("err.combination_meeting"))
        self.weights_sum(weights, path, lambda got: t("err.combination_sum", got=got))
        return {key: w for key, w in weights.items() if w is not None}

    def list_of_tables(self, value: Any, path: str) -> list[tuple[str, Any]]:
        if not isinstance(value, list):
            self.fail(path, t("err.type", expected=t("type.array"), got=_shown(value)))
            return []
        return [(f"{path}[{i}]", item) for i, item in enumerate(value, 1)]

    def bands(self, value: Any, labels: list[str]) -> tuple[Band, ...]:
        out: list[Band] = []
        for path, item in self.list_of_tables(value, "scoring.bands"):
            entry = self.table(item, path, ("min", "grade"))
            low = self.number(entry, path, "min")
            grade = self.grade(self.field(entry, path, "grade", str), _join(path, "grade"), labels)
            if low is not None and grade is not None:
                out.append(Band(low, grade))
        if any(a.min <= b.min for a, b in itertools.pairwise(out)):
            self.fail("scoring.bands", t("err.bands_order"))
        return tuple(out)

    def share_rules(self, value: Any, labels: list[str]) -> tuple[ShareRule, ...]:
        out: list[ShareRule] = []
        for path, item in self.list_of_tables(value, "scoring.share_rules"):
            entry = self.table(item, path, ("grades", "above", "below", "grade", "flag"))
            grades = self.strings(entry, path, "grades", required=True)
            for i, label in enumerate(grades, 1):
                self.grade(label, f"{path}.grades[{i}]", labels)
            above = self.share(entry, path, "above")
            below = self.share(entry, path, "below")
            if above is None and below is None and "above" not in entry and "below" not in entry:
                self.missing(_join(path, "above"))
            grade = self.grade(
                self.field(entry, path, "grade", str, None), _join(path, "grade"), labels
            )
            flag = self.field(entry, path, "flag", str, None)
            if grade is None and flag is None and "grade" not in entry and "flag" not in entry:
                self.missing(_join(path, "grade"))
            out.append(ShareRule(tuple(grades), above, below, grade, flag))
        return tuple(out)

    def alerts(self, value: Any, labels: list[str]) -> tuple[Alert, ...]:
        out: list[Alert] = []
        for path, item in self.list_of_tables(value, "scoring.alerts"):
            entry = self.table(item, path, ("flag", "grade", "score_below"))
            flag = self.field(entry, path, "flag", str)
            grade = self.grade(
                self.field(entry, path, "grade", str, None), _join(path, "grade"), labels
            )
            below = self.number(entry, path, "score_below", None)
            if "grade" not in entry and "score_below" not in entry:
                self.missing(_join(path, "grade"))
            if flag is not None:
                out.append(Alert(flag, grade, below))
        return tuple(out)

    def poll(self, value: Any) -> PollRules:
        table = self.table(value, "poll", ("allow_revision", "hide_results_until_close"))
        return PollRules(
            allow_revision=bool(self.field(table, "poll", "allow_revision", bool, False)),
            hide_results_until_close=bool(
                self.field(table, "poll", "hide_results_until_close", bool, True)
            ),
        )
