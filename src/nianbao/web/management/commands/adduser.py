"""`nianbao manage adduser USERNAME --role reviewer|author|admin --unit NAME [--password-stdin]`: an account
for scripts. The unit is found by its name (or normalised name, e.g. 先锋路街道); the password is read
from standard input (one line) with --password-stdin, else asked twice; Django's password validators
apply, as on the 单位与账号 page."""
from __future__ import annotations

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from ...models import Profile
from ...units import find_unit
from ...views.manage import AccountError, create_account


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = "新建账号（管理员 admin、审核人 reviewer、编制人 author）。 / create a user account."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r for r, _ in Profile.ROLES],
                            help="admin 管理员 | reviewer 审核人（管辖单位及下级）| author 编制人（本单位）")
        parser.add_argument("--unit", default="", help="单位名称（审核人、编制人必填）")
        parser.add_argument("--name", default="", help="姓名（显示用）")
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")

    def handle(self, *args, **opts):
        unit = None
        if opts["unit"]:
            unit, why = find_unit(opts["unit"])
            if unit is None:
                raise CommandError(why)
        if opts["password_stdin"]:
            password = (opts.get("stdin") or sys.stdin).readline().rstrip("\r\n")
        else:
            password = getpass.getpass("密码：")
            if getpass.getpass("再次输入密码：") != password:
                raise CommandError("两次输入的密码不一致。")
        try:
            user = create_account(opts["username"], opts["role"], unit, password, opts["name"])
        except AccountError as e:
            raise CommandError("账号未创建：" + str(e)) from None
        label = dict(Profile.ROLES)[opts["role"]]
        self.stdout.write(f"已创建账号 {user.username}（{label}{'，' + unit.name if unit else ''}）。")
