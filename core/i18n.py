"""User-facing text in Simplified Chinese (default) and English.

Every string a user reads goes through `t(key, **fields)`. The language comes
from `set_language()` or the SANSHU_LANG environment variable.
"""

from __future__ import annotations

import os

LANGUAGES = ("zh", "en")

_current: str | None = None


def language() -> str:
    if _current is not None:
        return _current
    env = os.environ.get("SANSHU_LANG", "zh").lower()
    return "en" if env.startswith("en") else "zh"


def set_language(lang: str | None) -> None:
    global _current
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def t(key: str, **fields: object) -> str:
    table = MESSAGES[language()]
    text = table.get(key) or MESSAGES["zh"][key]
    return text.format(**fields) if fields else text


MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        # meeting-file validation
        "err.syntax": "TOML 语法错误：{detail}",
        "err.read": "无法读取文件：{detail}",
        "err.not_found": "找不到文件 {path}",
        "err.missing": "缺少必填项",
        "err.unknown_key": "未知的字段（可用：{allowed}）",
        "err.type": "应为{expected}，实为 {got}",
        "err.choice": "应为 {choices}，实为 {got}",
        "err.empty": "不能为空",
        "err.empty_list": "至少需要一项",
        "err.duplicate": "与 {other} 重复：{value}",
        "err.negative": "不能为负数，实为 {got}",
        "err.positive": "必须大于 0，实为 {got}",
        "err.weights_sum": "各类别权重之和应为 1，实为 {got}",
        "err.unknown_grade": "未知的等次 {got}（可用：{choices}）",
        "err.unknown_category": "未知的测评人类别 {got}（可用：{choices}）",
        "err.unknown_component": "未知的成绩组成 {got}（可用：{choices}）",
        "err.fraction": '应为 0 到 1 之间的比例（如 "1/3" 或 0.3），实为 {got}',
        "err.duration": '应为秒数或 "分:秒"（如 "8:00"），实为 {got}',
        "err.threshold_order": "警示时间 {warning} 秒应大于危险时间 {danger} 秒",
        "err.threshold_duration": "提醒时间 {got} 秒超过了环节时长 {duration} 秒",
        "err.no_onsite": "至少需要一个现场述职对象",
        "err.abstain_is_grade": "弃权选项 {got} 不能同时是计分等次",
        "err.bands_order": "分数段应从高到低排列",
        "err.date": "应为日期（如 2024-01-30），实为 {got}",
        "err.number_range": "应在 {low} 到 {high} 之间，实为 {got}",
        "err.combination_sum": "合成权重之和应为 1，实为 {got}",
        "err.combination_meeting": "合成权重必须包含 meeting（本次测评得分）",
        "err.problems": "共 {count} 处问题",
        "type.string": "文字",
        "type.integer": "整数",
        "type.number": "数字",
        "type.boolean": "true 或 false",
        "type.table": "表（[...] 或 {{ ... }}）",
        "type.array": "数组（[ ... ]）",
        # phases and modes
        "phase.report": "述职",
        "phase.commentary": "点评",
        "phase.questions": "询问",
        "phase.scoring": "测评",
        "phase.results": "结果",
        "mode.onsite": "现场述职",
        "mode.written": "书面述职",
        "poll.not_open": "未开始",
        "poll.open": "进行中",
        "poll.closed": "已结束",
        # store
        "db.exists": "数据库已存在：{path}。如确需覆盖，请加 --force。",
        "db.missing": "找不到会议数据库：{path}。请先运行 sanshu init。",
        "db.too_new": "数据库版本 {found} 比本程序支持的版本 {supported} 更新，请升级 sanshu。",
        "db.not_sanshu": "{path} 不是 sanshu 会议数据库。",
        "db.locked": "会议数据库正忙，请稍后重试：{path}",
    },
    "en": {
        "err.syntax": "TOML syntax error: {detail}",
        "err.read": "cannot read the file: {detail}",
        "err.not_found": "no such file: {path}",
        "err.missing": "required field is missing",
        "err.unknown_key": "unknown field (allowed: {allowed})",
        "err.type": "expected {expected}, got {got}",
        "err.choice": "expected {choices}, got {got}",
        "err.empty": "must not be empty",
        "err.empty_list": "needs at least one entry",
        "err.duplicate": "duplicate of {other}: {value}",
        "err.negative": "must not be negative, got {got}",
        "err.positive": "must be greater than 0, got {got}",
        "err.weights_sum": "category weights must sum to 1, got {got}",
        "err.unknown_grade": "unknown grade {got} (known: {choices})",
        "err.unknown_category": "unknown voter category {got} (known: {choices})",
        "err.unknown_component": "unknown score component {got} (known: {choices})",
        "err.fraction": 'expected a share between 0 and 1 (like "1/3" or 0.3), got {got}',
        "err.duration": 'expected seconds or "minutes:seconds" (like "8:00"), got {got}',
        "err.threshold_order": "warning at {warning} s must be greater than danger at {danger} s",
        "err.threshold_duration": "threshold of {got} s exceeds the phase duration of {duration} s",
        "err.no_onsite": "at least one subject must report on site",
        "err.abstain_is_grade": "the abstain option {got} cannot also be a scored grade",
        "err.bands_order": "grade bands must be listed from the highest minimum down",
        "err.date": "expected a date (like 2024-01-30), got {got}",
        "err.number_range": "expected a value from {low} to {high}, got {got}",
        "err.combination_sum": "combination weights must sum to 1, got {got}",
        "err.combination_meeting": "combination weights must include meeting (this vote's score)",
        "err.problems": "{count} problem(s)",
        "type.string": "a string",
        "type.integer": "an integer",
        "type.number": "a number",
        "type.boolean": "true or false",
        "type.table": "a table ([...] or {{ ... }})",
        "type.array": "an array ([ ... ])",
        "phase.report": "Report",
        "phase.commentary": "Commentary",
        "phase.questions": "Questions",
        "phase.scoring": "Scoring",
        "phase.results": "Results",
        "mode.onsite": "On site",
        "mode.written": "Written",
        "poll.not_open": "not open",
        "poll.open": "open",
        "poll.closed": "closed",
        "db.exists": "the database already exists: {path}. Add --force to overwrite it.",
        "db.missing": "no meeting database at {path}. Run sanshu init first.",
        "db.too_new": "database version {found} is newer than this program's {supported}; "
        "upgrade sanshu.",
        "db.not_sanshu": "{path} is not a sanshu meeting database.",
        "db.locked": "the meeting database is busy, try again: {path}",
    },
}


def _add(zh: dict[str, str], en: dict[str, str]) -> None:
    MESSAGES["zh"].update(zh)
    MESSAGES["en"].update(en)


# The command line
_add(
    {
        "cli.check.ok": "{file}：有效。{subjects} 个述职对象（现场 {onsite}，书面 {written}），"
        "{categories} 类测评人共 {voters} 人。",
        "cli.init.ok": "已创建会议数据库：{path}",
        "cli.demo.created": "已创建演示会议数据库：{path}",
        "cli.demo.resumed": "继续上次的演示会议：{path}（重新开始请加 --fresh）",
        "cli.crash": "程序出错了，会议数据未受影响。详细信息已写入 {log}，请把该文件发给技术支持。",
        "cli.interrupted": "已中断。",
        "summary.title": "{title}",
        "summary.caption": "{date} · {venue} · 应到测评人 {voters} 人",
        "col.order": "序号",
        "col.subject": "述职对象",
        "col.unit": "单位",
        "col.mode": "方式",
        "col.daily": "日常考核",
        "col.category": "测评人类别",
        "col.weight": "权重",
        "col.expected": "应到人数",
    },
    {
        "cli.check.ok": "{file}: valid. {subjects} subjects ({onsite} on site, {written} written), "
        "{categories} voter categories, {voters} voters.",
        "cli.init.ok": "Created the meeting database: {path}",
        "cli.demo.created": "Created the demo meeting database: {path}",
        "cli.demo.resumed": "Resuming the demo meeting: {path} (add --fresh to start over)",
        "cli.crash": "Something went wrong; the meeting data is safe. Details were written to "
        "{log}; please send that file to support.",
        "cli.interrupted": "Interrupted.",
        "summary.title": "{title}",
        "summary.caption": "{date} · {venue} · {voters} voters expected",
        "col.order": "No.",
        "col.subject": "Subject",
        "col.unit": "Unit",
        "col.mode": "Mode",
        "col.daily": "Daily",
        "col.category": "Voter category",
        "col.weight": "Weight",
        "col.expected": "Expected",
    },
)

# The consoles
_add(
    {
        "key.toggle": "开始/暂停",
        "key.next": "下一步",
        "key.prev": "上一步",
        "key.plus": "30秒",
        "key.minus": "30秒",
        "key.reset": "重置",
        "key.poll": "测评",
        "key.results": "结果",
        "key.quit": "退出",
        "host.title": "主持台",
        "agenda.title": "议程",
        "agenda.onsite": "现场述职",
        "agenda.written": "书面述职（{count}）",
        "agenda.meeting": "全体",
        "stage.onsite_n": "第 {n} 位 / 共 {total} 位现场述职",
        "stage.all_subjects": "全部 {count} 个述职对象",
        "stage.next": "下一项：{what}",
        "stage.last": "这是最后一项",
        "timer.idle": "未开始 · 按空格开始",
        "timer.running": "计时中",
        "timer.paused": "已暂停",
        "timer.overtime": "已超时 {time}",
        "timer.untimed": "",
        "panel.questions": "询问",
        "panel.commentary": "点评",
        "panel.turnout": "测评",
        "panel.questions.empty": "暂无询问（由记录员登记）",
        "panel.commentary.empty": "暂无点评（由记录员登记）",
        "panel.turnout.status": "测评{poll}",
        "results.hidden": "测评结束后显示结果",
        "quit.confirm": "计时器正在运行。确定退出主持台吗？会议状态已保存，重新打开即可继续。",
        "quit.yes": "退出 (Y)",
        "quit.no": "取消 (N)",
        "poll.opened": "测评已开始",
        "poll.closed_now": "测评已结束",
        "poll.close_confirm": "结束测评后不能再提交测评票（除非另行说明理由重新开放）。确定结束吗？",
        "poll.already_closed": "测评已结束。如需重新开放，请用 sanshu poll open --reason 说明理由。",
        "poll.confirm_yes": "结束测评 (Y)",
        "podium.busy": "已有一个主持台在使用这个会议数据库（{path}）。"
        "同一会议只能有一个主持台；记录员和投影请用 sanshu clerk / sanshu display。",
        "status.subject": "述职对象",
        "status.phase": "环节",
        "status.remaining": "剩余时间",
        "status.running": "计时",
        "status.poll": "测评",
        "status.turnout": "已提交",
        "status.yes": "运行中",
        "status.no": "未运行",
    },
    {
        "key.toggle": "Start/Pause",
        "key.next": "Next",
        "key.prev": "Previous",
        "key.plus": "30 s",
        "key.minus": "30 s",
        "key.reset": "Reset",
        "key.poll": "Scoring",
        "key.results": "Results",
        "key.quit": "Quit",
        "host.title": "Podium",
        "agenda.title": "Agenda",
        "agenda.onsite": "On site",
        "agenda.written": "Written ({count})",
        "agenda.meeting": "Everyone",
        "stage.onsite_n": "On-site report {n} of {total}",
        "stage.all_subjects": "All {count} subjects",
        "stage.next": "Next: {what}",
        "stage.last": "This is the last item",
        "timer.idle": "Not started · press Space",
        "timer.running": "Running",
        "timer.paused": "Paused",
        "timer.overtime": "Overtime {time}",
        "timer.untimed": "",
        "panel.questions": "Questions",
        "panel.commentary": "Commentary",
        "panel.turnout": "Scoring",
        "panel.questions.empty": "No questions yet (logged by the clerk)",
        "panel.commentary.empty": "No commentary yet (logged by the clerk)",
        "panel.turnout.status": "Scoring {poll}",
        "results.hidden": "Results are shown once scoring is closed",
        "quit.confirm": "The timer is running. Quit the podium console? The meeting is saved; "
        "open it again to continue.",
        "quit.yes": "Quit (Y)",
        "quit.no": "Cancel (N)",
        "poll.opened": "Scoring is open",
        "poll.closed_now": "Scoring is closed",
        "poll.close_confirm": "Once closed, no more ballots are accepted (unless reopened with a "
        "reason). Close scoring?",
        "poll.already_closed": "Scoring is closed. To reopen it, give a reason: "
        "sanshu poll open --reason",
        "poll.confirm_yes": "Close scoring (Y)",
        "podium.busy": "Another podium console is using this meeting database ({path}). "
        "One podium per meeting; use sanshu clerk / sanshu display beside it.",
        "status.subject": "Subject",
        "status.phase": "Phase",
        "status.remaining": "Remaining",
        "status.running": "Timer",
        "status.poll": "Scoring",
        "status.turnout": "Submitted",
        "status.yes": "running",
        "status.no": "stopped",
    },
)
