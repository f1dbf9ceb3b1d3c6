"""`nianbao manage import_units 单位.xlsx|单位.csv`: create or update the unit tree (columns 名称, 上级, 层级)."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ...units import UnitImportError, import_units


class Command(BaseCommand):
    help = "导入单位树（XLSX 或 CSV，列：名称、上级、层级）；重复导入不会重复创建。 / import the unit tree."

    def add_arguments(self, parser):
        parser.add_argument("file", help="单位表 .xlsx 或 .csv")

    def handle(self, *args, **opts):
        path = opts["file"]
        if not path.lower().endswith((".xlsx", ".xlsm", ".csv")):
            raise CommandError(f"不支持的文件类型：{path}；请使用 .xlsx 或 .csv。")
        try:
            counts = import_units(path)
        except UnitImportError as e:
            raise CommandError("\n".join([f"单位文件有 {len(e.problems)} 处问题，未导入任何单位：",
                                          *[(f"  第 {r} 行：{m}" if r else f"  {m}") for r, m in e.problems]]))
        self.stdout.write(f"已导入单位表 {path}：新建 {counts['created']}，更新 {counts['updated']}，"
                          f"未变 {counts['unchanged']}（共 {counts['total']} 个单位）。")
