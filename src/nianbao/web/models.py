"""What the web app stores.

Units form one tree (a region is a unit with children). A user has one Profile: an administrator,
a reviewer of a unit's subtree, or an author of one unit. A Report is one uploaded file (unique by
sha256, so nothing is stored twice); its extracted data lives in numbered Versions — a correction
makes a new Version and the checks run again on it. Reviewers' decisions on findings are kept by
finding key, so they survive a re-check. Authors keep their ledger, 表二/表四 sheets and narrative in
one Ledger per unit and year.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models, transaction


class Unit(models.Model):
    name = models.CharField("名称", max_length=200)
    key = models.CharField("规范名称", max_length=200, db_index=True)      # corpus.units.normalise_unit(name)
    parent = models.ForeignKey("self", null=True, blank=True, related_name="children", on_delete=models.PROTECT)
    level = models.CharField("层级", max_length=40, blank=True)
    path = models.CharField(max_length=2000, db_index=True, editable=False)   # "/1/5/9/": the subtree is a prefix

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["parent", "key"], name="unit_unique_in_parent")]

    def __str__(self) -> str:
        return self.name

    @transaction.atomic
    def save(self, *args, **kwargs):
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def subtree(self):
        return Unit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list["Unit"]:
        ids = [int(x) for x in self.path.strip("/").split("/")[:-1] if x]
        by_id = {u.id: u for u in Unit.objects.filter(id__in=ids)}
        return [by_id[i] for i in ids if i in by_id]


class Profile(models.Model):
    ADMIN, REVIEWER, AUTHOR = "admin", "reviewer", "author"
    ROLES = [(ADMIN, "管理员"), (REVIEWER, "审核人"), (AUTHOR, "编制人")]
    user = models.OneToOneField(settings.AUTH_USER_MODEL, related_name="profile", on_delete=models.CASCADE)
    role = models.CharField("角色", max_length=20, choices=ROLES)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             help_text="审核人：所管辖区域（含下级）；编制人：本单位")
    display_name = models.CharField("姓名", max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.user.username}（{self.get_role_display()}）"


class Upload(models.Model):
    """One upload action: a file, many files, a folder or a zip."""
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             help_text="上传到的单位；为空时按报告中的机关名称在权限范围内匹配")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def counts(self, statuses: list[str] | None = None) -> dict[str, int]:
        """Files per status; pass the statuses of an already fetched file list so that the counts and
        the list describe the same moment (the worker changes them in between)."""
        out = {s: 0 for s, _ in UploadFile.STATUSES}
        if statuses is None:
            for row in self.files.values("status").annotate(n=models.Count("id")):
                out[row["status"]] = row["n"]
        else:
            for st in statuses:
                out[st] += 1
        out["total"] = sum(out.values())
        out["finished"] = out["total"] - out["queued"] - out["processing"]
        return out


class UploadFile(models.Model):
    QUEUED, PROCESSING, DONE, DUPLICATE, FAILED = "queued", "processing", "done", "duplicate", "failed"
    STATUSES = [(QUEUED, "排队中"), (PROCESSING, "处理中"), (DONE, "完成"), (DUPLICATE, "重复文件"),
                (FAILED, "失败")]
    upload = models.ForeignKey(Upload, related_name="files", on_delete=models.CASCADE)
    name = models.CharField("文件名", max_length=500)          # as uploaded; zip members as a.zip!/b.docx
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to="incoming/%Y/%m/", max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=STATUSES, default=QUEUED, db_index=True)
    error_code = models.CharField(max_length=60, blank=True)
    error = models.TextField("原因", blank=True)
    report = models.ForeignKey("Report", null=True, blank=True, related_name="upload_files", on_delete=models.SET_NULL)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class Report(models.Model):
    unit = models.ForeignKey(Unit, related_name="reports", on_delete=models.PROTECT)
    year = models.IntegerField("年度", null=True, db_index=True)
    org = models.CharField("发布机关（报告所载）", max_length=300, blank=True)
    title = models.CharField(max_length=500, blank=True)
    format = models.CharField(max_length=10, blank=True)
    kind = models.CharField("文件类型", max_length=10)         # text | html | docx | pdf
    sha256 = models.CharField(max_length=64, db_index=True)     # unique among live reports (Meta)
    source = models.FileField(upload_to="reports/%Y/", max_length=500)
    source_name = models.CharField(max_length=500)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    # counts of the current version's open findings (dismissed ones excluded), for lists and dashboards
    errors = models.IntegerField(default=0)
    warnings = models.IntegerField(default=0)
    infos = models.IntegerField(default=0)
    # withdrawn (soft delete): hidden from lists, dashboards and checks; the Event says who, when, why
    withdrawn = models.DateTimeField("撤回时间", null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-year", "unit__path", "-created"]
        # a file is stored once while live; a withdrawn report's file may be uploaded again as a new report
        constraints = [models.UniqueConstraint(fields=["sha256"], condition=models.Q(withdrawn__isnull=True),
                                               name="report_live_sha256_unique")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year or '？'}年"

    @property
    def current(self) -> "Version":
        return self.versions.order_by("-number").first()


class Version(models.Model):
    report = models.ForeignKey(Report, related_name="versions", on_delete=models.CASCADE)
    number = models.IntegerField()
    data = models.JSONField()                    # the contract's extract output (report.to_dict())
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="version_number_unique")]


class Correction(models.Model):
    """A value changed by a person: the version it produced, the cell, before and after."""
    version = models.ForeignKey(Version, related_name="corrections", on_delete=models.CASCADE)
    table = models.CharField(max_length=10)
    row = models.CharField(max_length=60)
    col = models.CharField(max_length=60)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    reason = models.CharField(max_length=500, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)


class Finding(models.Model):
    version = models.ForeignKey(Version, related_name="findings", on_delete=models.CASCADE)
    key = models.CharField(max_length=200)       # code|table|row|col — stable across versions
    code = models.CharField(max_length=10)
    severity = models.CharField(max_length=10)   # error | warning | info
    message = models.TextField()
    table = models.CharField(max_length=10, blank=True)
    row = models.CharField(max_length=60, blank=True)
    col = models.CharField(max_length=60, blank=True)
    data = models.JSONField()                    # Finding.to_dict() of the library
    order = models.IntegerField(default=0)       # the library's order: errors first

    class Meta:
        ordering = ["version", "order"]


class Decision(models.Model):
    CONFIRMED, DISMISSED = "confirmed", "dismissed"
    STATUSES = [(CONFIRMED, "确认问题"), (DISMISSED, "不是问题（驳回）")]
    report = models.ForeignKey(Report, related_name="decisions", on_delete=models.CASCADE)
    key = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=STATUSES)
    reason = models.CharField("理由", max_length=1000)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="decision_unique")]


class Filing(models.Model):
    """The review cycle of one unit's report for one year: 草稿 → 已提交 → 审核中 → 退回修改 → 已提交 → 通过.
    `report` is the report submitted last (None while a draft); `round` counts submissions. The state is
    a summary of the Events of the unit and year, which keep every step."""
    DRAFT, SUBMITTED, REVIEWING, RETURNED, APPROVED = "draft", "submitted", "reviewing", "returned", "approved"
    STATES = [(DRAFT, "草稿"), (SUBMITTED, "已提交"), (REVIEWING, "审核中"), (RETURNED, "退回修改"), (APPROVED, "通过")]
    unit = models.ForeignKey(Unit, related_name="filings", on_delete=models.PROTECT)
    year = models.IntegerField("年度")
    state = models.CharField("状态", max_length=20, choices=STATES, default=DRAFT, db_index=True)
    report = models.ForeignKey(Report, null=True, blank=True, related_name="+", on_delete=models.SET_NULL)
    round = models.IntegerField("提交次数", default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="filing_unit_year")]


class Event(models.Model):
    """One step of a unit's report history, append-only: a state change, a decision on a finding or its
    undoing, a correction, a comment, a re-check, a withdrawal. Never changed or deleted; an undo is a
    new Event."""
    SUBMIT, REVIEW, RETURN, APPROVE = "submit", "review", "return", "approve"
    DECIDE, UNDO, CORRECT, COMMENT, RECHECK, WITHDRAW = "decide", "undo", "correct", "comment", "recheck", "withdraw"
    REUPLOAD = "reupload"
    KINDS = [(SUBMIT, "提交"), (REVIEW, "开始审核"), (RETURN, "退回修改"), (APPROVE, "审核通过"),
             (DECIDE, "处理问题"), (UNDO, "撤销决定"), (CORRECT, "更正数值"), (COMMENT, "留言"),
             (RECHECK, "重新核对"), (WITHDRAW, "撤回报告"), (REUPLOAD, "重新上传撤回的文件")]
    unit = models.ForeignKey(Unit, related_name="events", on_delete=models.PROTECT)
    year = models.IntegerField("年度", null=True, db_index=True)
    report = models.ForeignKey(Report, null=True, blank=True, related_name="events", on_delete=models.SET_NULL)
    kind = models.CharField(max_length=20, choices=KINDS, db_index=True)
    state_from = models.CharField(max_length=20, blank=True)
    state_to = models.CharField(max_length=20, blank=True)
    key = models.CharField("问题", max_length=200, blank=True, db_index=True)   # the finding's key, if about one
    status = models.CharField(max_length=20, blank=True)                         # a decision's status
    text = models.TextField("理由或留言", blank=True)
    data = models.JSONField(default=dict, blank=True)      # what else the step needs: keys to fix, cells, version
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("history entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("history entries are append-only")


class Recheck(models.Model):
    """A re-check of a report (its stored file read again, every check run again), done by the background
    worker so that no request waits for it: the 「重新核对」 button, a bulk re-check, and the cross-year
    re-checks of Y−1 and Y+1 when a report of year Y arrives or is withdrawn. Re-checks asked for together
    share a `batch`, whose progress page is /rechecks/<batch>/. The result is an Event (kind recheck)."""
    QUEUED, PROCESSING, DONE, FAILED = "queued", "processing", "done", "failed"
    STATUSES = [(QUEUED, "排队中"), (PROCESSING, "核对中"), (DONE, "完成"), (FAILED, "失败")]
    batch = models.CharField(max_length=32, db_index=True)
    report = models.ForeignKey(Report, related_name="rechecks", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    why = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=STATUSES, default=QUEUED, db_index=True)
    error = models.TextField("原因", blank=True)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class Ledger(models.Model):
    """An author's working data for one unit and year: requests, 表二 and 表四 sheets, narrative."""
    unit = models.ForeignKey(Unit, related_name="ledgers", on_delete=models.PROTECT)
    year = models.IntegerField("年度")
    requests = models.JSONField(default=list)     # rows as dicts keyed by the contract's ledger columns
    t2 = models.JSONField(default=list)           # 「主动公开」 sheet rows (lists, header first)
    cases = models.JSONField(default=list)        # 「复议诉讼」 sheet rows (lists, header first)
    narrative = models.JSONField(default=dict)    # {"1": text, …, "6": text}, plus "title"
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="ledger_unit_year")]


class LoginFailure(models.Model):
    """Failed logins by user name and address, for the rate limit (kept in the database so that every
    server process sees the same count)."""
    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
