# ruff: noqa: E501  (Chinese sentences are wider than they are long)
"""The wording of the default templates (scripts/make_templates.py), Chinese and English.

`{{ 字段 }}` is filled in by the program (the fields of each document are listed in
docs/templates.md); `{% … %}` are docxtpl's conditions and loops. The field names are
Chinese in both languages: an office edits them in its own template.
"""

from __future__ import annotations

ZH = {
    "colophon": {
        "cc": "抄送：",
        "printed": "印发",
        "fingerprint": "　　（结果校验码：{{ 结果校验码 }}）",
    },
    "letter": {
        "name": "书面反馈",
        "colon": "：",
        "title": "关于{{ 述职对象 }}{{ 年度 }}述职述责述廉评议情况的反馈",
        "opening": "根据{{ 召集单位 }}安排，{{ 会议日期 }}召开{{ 会议名称 }}，你单位{{ 述职方式 }}。"
        "会议应参加测评{{ 应到人数 }}人，收回测评票{{ 收回票数 }}张（参加率{{ 参加率 }}），"
        "其中有效票{{ 有效票数 }}张。现将评议情况反馈如下。",
        "h_result": "一、测评结果",
        "result": "你单位会议测评得分{{ 会议得分 }}分，日常考核得分{{ 日常考核 }}分，"
        "按会议测评占{{ 会议权重 }}、日常考核占{{ 日常权重 }}合成，综合得分{{ 综合得分 }}分，"
        "在{{ 对象总数 }}个述职对象中位列第{{ 名次 }}名，评价等次为“{{ 最终等次 }}”。",
        "result_no_daily": "你单位会议测评得分{{ 会议得分 }}分，综合得分{{ 综合得分 }}分，"
        "在{{ 对象总数 }}个述职对象中位列第{{ 名次 }}名，评价等次为“{{ 最终等次 }}”。",
        "override": "按得分计算的等次为“{{ 计算等次 }}”，经{{ 召集单位 }}研究确定为"
        "“{{ 最终等次 }}”。理由：{{ 调整理由 }}",
        "h_distribution": "二、各测评项目评价情况",
        "distribution": "各测评项目的评价情况如下。每格上行为票数，下行为占该项目全部有效票的比例；"
        "“得分”是按测评人类别加权计算的分数，与票数占比不是同一指标。",
        "col_criterion": "测评项目",
        "col_score": "得分",
        "h_comments": "三、测评人提出的意见建议",
        "comments": "测评人以不记名方式提出的意见建议如下（按文字排序，与投票先后无关）：",
        "no_comments": "本次测评中，测评人未对你单位提出书面意见建议。",
        "h_record": "四、会上点评和询问情况",
        "record": "会议现场，{% if 点评 %}{{ 点评人 }}对你单位述职作了点评{% endif %}"
        "{% if 点评 and 询问 %}，{% endif %}{% if 询问 %}{{ 询问人 }}进行了询问{% endif %}，具体如下：",
        "h_commentary": "（一）点评意见",
        "h_questions": "（{{ '二' if 点评 else '一' }}）询问及答复",
        "question": "{{ loop.index }}. {{ q.询问人 }}{{ '：' if q.询问人 else '' }}{{ q.问题 }}",
        "answer": "答复：{{ q.答复 }}",
        "no_record_onsite": "会上未对你单位进行点评和询问。",
        "no_record_written": "你单位为书面述职，会上未进行点评和询问。",
        "h_rectify": "五、整改要求",
        "warning": "你单位本次评价等次为“{{ 最终等次 }}”。按照有关规定，{{ 召集单位 }}将对你单位"
        "主要负责同志进行{{ 后续措施 }}。请你单位深刻查摆原因，于{{ 整改期限 }}前完成整改，"
        "并将整改情况书面报告{{ 印发机关 }}。",
        "rectify": "请你单位对照评议中指出的问题，逐项制定整改措施，列入整改台账，明确责任人和完成"
        "时限，按期销号，并在下一年度述职述责述廉报告中报告整改落实情况。",
    },
    "bulletin": {
        "name": "通报",
        "title": "关于{{ 年度 }}述职述责述廉评议结果的通报",
        "opening": "{{ 会议日期 }}，{{ 召集单位 }}召开{{ 会议名称 }}，{{ 对象总数 }}个述职对象进行了"
        "述职述责述廉，其中现场述职{{ 现场述职数 }}个，书面述职{{ 书面述职数 }}个。"
        "会议应参加测评{{ 应到人数 }}人，收回测评票{{ 收回票数 }}张（{{ 票数构成 }}），"
        "有效票{{ 有效票数 }}张。",
        "method": "{{ 计分方法 }}现将评议结果通报如下。",
        "h_result": "一、评议结果",
        "lead": "{{ 排列说明 }}：",
        "col_rank": "名次",
        "col_order": "序号",
        "col_subject": "述职对象",
        "col_score": "综合得分",
        "col_grade": "评价等次",
        "h_grades": "二、等次分布",
        "grade_line": "评为“{{ g.等次 }}”的{{ g.个数 }}个{{ '：' ~ g.名单 ~ '。' if g.名单 else '。' }}",
        "overrides": "经{{ 召集单位 }}研究，以下述职对象的评价等次作了调整：",
        "override_line": "{{ o.述职对象 }}：按得分计算为“{{ o.计算等次 }}”，确定为“{{ o.最终等次 }}”。"
        "理由：{{ o.理由 }}",
        "h_next": "三、有关要求",
        "next": "各述职对象要对照评议结果和书面反馈意见，认真查摆问题，逐项制定整改措施，"
        "列入整改台账，明确责任人和完成时限，按期销号，并在下一年度述职述责述廉报告中"
        "报告整改落实情况。",
    },
    "ranking": {
        "name": "排名表",
        "title": "{{ 会议名称 }}\n测评结果排名表",
        "meeting": "会议日期：{{ 会议日期 }}　　地点：{{ 会议地点 }}",
        "col_rank": "排名",
        "col_subject": "述职对象",
        "col_score": "综合得分",
        "col_grade": "等次",
        "made_by": "制表单位：{{ 组织单位 }}　　制表日期：{{ 制表日期 }}",
    },
    "minutes": {
        "name": "会议记录",
        "title": "会议记录",
        "head": [
            "会议名称：{{ 会议名称 }}",
            "时　　间：{{ 时间 }}",
            "地　　点：{{ 地点 }}",
            "主持人：{{ 主持人 }}",
            "记录人：{{ 记录人 }}",
            "应到/实到：{{ 出席概况 }}",
        ],
        "h_attendance": "一、出席情况",
        "attendance": "{{ 出席说明 }}",
        "attendance_group": "{{ g.组别 }}（{{ g.人数 }}人）：{{ g.名单 }}",
        "on_leave": "请假：{{ 请假人员 }}",
        "absent": "缺席：{{ 缺席人员 }}",
        "h_agenda": "二、会议议程",
        "h_onsite": "三、现场述职、点评和询问",
        "subject": "（{{ s.序号 }}）{{ s.标题 }}",
        "commentary": "点评：",
        "questions": "询问：",
        "col_time": "时间",
        "col_commenter": "点评人",
        "col_content": "点评内容",
        "col_asker": "询问人",
        "col_question": "问题",
        "col_answer": "答复",
        "none": "无。",
        "h_written": "四、书面述职",
        "written": "{{ 书面述职 }}",
        "h_scoring": "五、民主测评",
        "h_overrides": "六、等次调整",
        "col_subject": "述职对象",
        "col_computed": "计算等次",
        "col_final": "最终等次",
        "col_reason": "调整理由",
        "signatures": "记录人：__________　　　审核人：__________",
    },
    "ballot": {
        "name": "纸质测评票",
        "title": "{{ 会议名称 }}\n民主测评票",
        "category": "测评人类别：{{ k.类别 }}　　（无记名，请勿填写姓名）",
        "rules": "填写说明：{{ 填写说明 }}",
        "col_no": "序号",
        "col_subject": "述职对象",
        "col_comment": "意见建议",
        "sign": "{{ 投票说明 }}",
    },
    "signin": {
        "name": "签到表",
        "title": "{{ 会议名称 }}\n签到表",
        "meeting": "时间：{{ 会议日期 }}　　地点：{{ 会议地点 }}",
        "group": "{{ g.组别 }}（{{ g.人数 }}人）",
        "col_no": "序号",
        "col_name": "姓名",
        "col_sign": "签名",
        "counts": "应到{{ 应到人数 }}人　　实到＿＿＿人　　请假＿＿＿人　　缺席＿＿＿人",
    },
}

EN = {
    "colophon": {
        "cc": "Copies to: ",
        "printed": " issued",
        "fingerprint": "(Result check code: {{ 结果校验码 }})",
    },
    "letter": {
        "name": "Feedback",
        "colon": ": ",
        "title": "Feedback on the {{ 年度 }} review of {{ 述职对象 }}",
        "opening": "As arranged by {{ 召集单位 }}, the {{ 会议名称 }} was held on {{ 会议日期 }}; "
        "your unit {{ 述职方式 }}. Of {{ 应到人数 }} voters on the roll, {{ 收回票数 }} returned "
        "a ballot (turnout {{ 参加率 }}); {{ 有效票数 }} ballots were valid. "
        "The results are as follows.",
        "h_result": "1. Result",
        "result": "Your meeting score is {{ 会议得分 }} and your daily-assessment score "
        "{{ 日常考核 }}. Combined at {{ 会议权重 }} meeting and {{ 日常权重 }} daily, your final "
        "score is {{ 综合得分 }}, rank {{ 名次 }} of {{ 对象总数 }}, grade “{{ 最终等次 }}”.",
        "result_no_daily": "Your meeting score is {{ 会议得分 }}, final score {{ 综合得分 }}, "
        "rank {{ 名次 }} of {{ 对象总数 }}, grade “{{ 最终等次 }}”.",
        "override": "The grade computed from the score is “{{ 计算等次 }}”; {{ 召集单位 }} set it to "
        "“{{ 最终等次 }}”. Reason: {{ 调整理由 }}",
        "h_distribution": "2. Grades by criterion",
        "distribution": "Each cell shows the votes and, below, their share of the criterion's "
        "valid ballots; “Score” is the category-weighted score, a different figure from a "
        "vote share.",
        "col_criterion": "Criterion",
        "col_score": "Score",
        "h_comments": "3. Voters' comments",
        "comments": "Comments voters made anonymously (sorted by text, unrelated to the order "
        "of voting):",
        "no_comments": "Voters made no written comments about your unit.",
        "h_record": "4. Commentary and questions at the meeting",
        "record": "At the meeting, {% if 点评 %}{{ 点评人 }} commented on your report{% endif %}"
        "{% if 点评 and 询问 %} and {% endif %}{% if 询问 %}{{ 询问人 }} asked questions{% endif %}:",
        "h_commentary": "(1) Commentary",
        "h_questions": "({{ '2' if 点评 else '1' }}) Questions and answers",
        "question": "{{ loop.index }}. {{ q.询问人 }}{{ ': ' if q.询问人 else '' }}{{ q.问题 }}",
        "answer": "Answer: {{ q.答复 }}",
        "no_record_onsite": "There was no commentary or questioning of your unit at the meeting.",
        "no_record_written": "Your unit reported in writing; there was no commentary or "
        "questioning at the meeting.",
        "h_rectify": "5. Rectification",
        "warning": "Your grade this time is “{{ 最终等次 }}”. {{ 召集单位 }} will hold "
        "{{ 后续措施 }} with your unit's head. Please find the causes, complete the "
        "rectification by {{ 整改期限 }} and report on it in writing to {{ 印发机关 }}.",
        "rectify": "Please draw up measures for each problem raised, enter them in the "
        "rectification ledger with an owner and a deadline, close them on time, and report "
        "on them in next year's report.",
    },
    "bulletin": {
        "name": "Bulletin",
        "title": "Bulletin on the results of the {{ 年度 }} review",
        "opening": "On {{ 会议日期 }}, {{ 召集单位 }} held the {{ 会议名称 }}: {{ 对象总数 }} "
        "subjects reported, {{ 现场述职数 }} on site and {{ 书面述职数 }} in writing. Of "
        "{{ 应到人数 }} voters on the roll, {{ 收回票数 }} returned a ballot ({{ 票数构成 }}); "
        "{{ 有效票数 }} were valid.",
        "method": "{{ 计分方法 }}The results are as follows.",
        "h_result": "1. Results",
        "lead": "{{ 排列说明 }}:",
        "col_rank": "Rank",
        "col_order": "No.",
        "col_subject": "Subject",
        "col_score": "Final score",
        "col_grade": "Grade",
        "h_grades": "2. Grades",
        "grade_line": "“{{ g.等次 }}”: {{ g.个数 }}{{ ' — ' ~ g.名单 if g.名单 else '' }}.",
        "overrides": "{{ 召集单位 }} changed the grade of the following subjects:",
        "override_line": "{{ o.述职对象 }}: computed “{{ o.计算等次 }}”, set to “{{ o.最终等次 }}”. "
        "Reason: {{ o.理由 }}",
        "h_next": "3. What follows",
        "next": "Each subject is to address the results and the written feedback, draw up "
        "measures for each problem, enter them in the rectification ledger with an owner and "
        "a deadline, close them on time and report on them in next year's report.",
    },
    "ranking": {
        "name": "Ranking",
        "title": "{{ 会议名称 }}\nRanking",
        "meeting": "Date: {{ 会议日期 }}　　Venue: {{ 会议地点 }}",
        "col_rank": "Rank",
        "col_subject": "Subject",
        "col_score": "Final score",
        "col_grade": "Grade",
        "made_by": "Prepared by: {{ 组织单位 }}　　Date: {{ 制表日期 }}",
    },
    "minutes": {
        "name": "Minutes",
        "title": "Minutes",
        "head": [
            "Meeting: {{ 会议名称 }}",
            "Time: {{ 时间 }}",
            "Venue: {{ 地点 }}",
            "Chair: {{ 主持人 }}",
            "Recorder: {{ 记录人 }}",
            "Attendance: {{ 出席概况 }}",
        ],
        "h_attendance": "1. Attendance",
        "attendance": "{{ 出席说明 }}",
        "attendance_group": "{{ g.组别 }} ({{ g.人数 }}): {{ g.名单 }}",
        "on_leave": "On leave: {{ 请假人员 }}",
        "absent": "Absent: {{ 缺席人员 }}",
        "h_agenda": "2. Agenda",
        "h_onsite": "3. On-site reports, commentary and questions",
        "subject": "({{ s.序号 }}) {{ s.标题 }}",
        "commentary": "Commentary:",
        "questions": "Questions:",
        "col_time": "Time",
        "col_commenter": "By",
        "col_content": "Commentary",
        "col_asker": "Asked by",
        "col_question": "Question",
        "col_answer": "Answer",
        "none": "None.",
        "h_written": "4. Written reports",
        "written": "{{ 书面述职 }}",
        "h_scoring": "5. Scoring",
        "h_overrides": "6. Grade overrides",
        "col_subject": "Subject",
        "col_computed": "Computed",
        "col_final": "Final",
        "col_reason": "Reason",
        "signatures": "Recorder: __________　　　Reviewed by: __________",
    },
    "ballot": {
        "name": "Paper ballot",
        "title": "{{ 会议名称 }}\nBallot",
        "category": "Voter category: {{ k.类别 }}　　(secret: do not write your name)",
        "rules": "How to fill in: {{ 填写说明 }}",
        "col_no": "No.",
        "col_subject": "Subject",
        "col_comment": "Comments",
        "sign": "{{ 投票说明 }}",
    },
    "signin": {
        "name": "Sign-in sheet",
        "title": "{{ 会议名称 }}\nSign-in sheet",
        "meeting": "Date: {{ 会议日期 }}　　Venue: {{ 会议地点 }}",
        "group": "{{ g.组别 }} ({{ g.人数 }})",
        "col_no": "No.",
        "col_name": "Name",
        "col_sign": "Signature",
        "counts": "Expected {{ 应到人数 }}　　Present ____　　On leave ____　　Absent ____",
    },
}

WORDS = {"zh": ZH, "en": EN}
