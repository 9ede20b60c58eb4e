"""FS-MS-KF-13's own tables (INPUTS.md): settlement, application, scores, nominations,
attendance, paid training and the year's incidents.  The roster and 其他奖惩 are
everyone's (:data:`kfbonus.schema.COMMON`)."""

from __future__ import annotations

from kfbonus.schema import Field, Kind, Table

__all__ = ["APPLICATION", "ATTENDANCE", "INCIDENT", "NOMINATION", "SCORES", "SETTLEMENT", "TABLES",
           "TRAINING"]

F = Field
K = Kind

SETTLEMENT = Table("settlement", "计件工资结算单", keys=("project_id", "worker_id"),
                   nicknames=("结算单", "计件工资"), fields=(
    F("project_id", "工程编号", K.ID, True, ("项目编号", "工程号")),
    F("worker_id", "工号", K.ID, True),
    F("days", "个人工期天数", K.NUMBER, True, ("工期天数", "施工天数")),
    F("piece_wage", "计件工资", K.MONEY, True, ("计件工资金额", "应发计件工资")),
    F("name", "姓名", K.TEXT),
    F("project_name", "工程名称", K.TEXT),
    F("percent", "个人百分比", K.PERCENT, False, ("分配比例", "个人系数")),
    F("total_days", "工期总天数", K.NUMBER, False, ("总工期",)),
    F("start_date", "开工日期", K.DATE),
    F("end_date", "完工日期", K.DATE),
))

APPLICATION = Table("application", "工程激励申报", keys=("project_id",), nicknames=("激励申报", "申报"),
                    added_if_in=("settlement", "project_id"), fields=(
    F("project_id", "工程编号", K.ID, True),
    F("key_project", "重点工程", K.BOOL, False, ("特殊工程", "是否重点工程")),
    F("collective_ratio", "集体激励比例", K.RATIO, False, ("申请比例", "集体奖比例")),
    F("individual_ratio", "个人激励比例", K.RATIO, False, ("个人奖比例",)),
))

SCORES = Table("scores", "工程评分", keys=("project_id",), nicknames=("评分", "评分表"), fields=(
    F("project_id", "工程编号", K.ID, True),
    F("safety", "安全得分", K.NUMBER, True),
    F("quality", "质量得分", K.NUMBER, True),
    F("cooperation", "沟通和配合得分", K.NUMBER, True, ("沟通配合得分", "配合得分")),
    F("discipline", "规章制度得分", K.NUMBER, True, ("制度得分",)),
))

NOMINATION = Table("nomination", "个人激励申报", keys=("project_id", "worker_id"), nicknames=("个人申报",),
                   fields=(
    F("project_id", "工程编号", K.ID, True),
    F("worker_id", "工号", K.ID, True),
    F("rating", "考评结果", K.TEXT, True, ("综合评定", "评定结果")),
    F("declared_amount", "申报金额", K.MONEY),
    F("name", "姓名", K.TEXT),
))

ATTENDANCE = Table("attendance", "考勤", keys=("worker_id",), nicknames=("出勤",), fields=(
    F("worker_id", "工号", K.ID, True),
    F("due_days", "应出勤天数", K.NUMBER, True),
    F("present_days", "实出勤天数", K.NUMBER, True, ("出勤天数",)),
    F("absent_days", "旷工天数", K.NUMBER),
    F("longest_absence", "连续缺勤天数", K.NUMBER),
    F("name", "姓名", K.TEXT),
))

TRAINING = Table("training", "带薪培训", keys=("worker_id",), nicknames=("培训",), fields=(
    F("worker_id", "工号", K.ID, True),
    F("days", "培训天数", K.NUMBER, True),
    F("training_type", "培训类型", K.TEXT),
    F("date", "日期", K.DATE),
    F("name", "姓名", K.TEXT),
))

INCIDENT = Table("incident", "事故投诉", (
    F("date", "日期", K.DATE, True),
    F("incident_type", "类型", K.TEXT, True),
    F("project_id", "工程编号", K.ID),
    F("worker_id", "工号", K.ID),
    F("note", "说明", K.TEXT),
))

TABLES: tuple[Table, ...] = (SETTLEMENT, APPLICATION, SCORES, NOMINATION, ATTENDANCE, TRAINING, INCIDENT)
