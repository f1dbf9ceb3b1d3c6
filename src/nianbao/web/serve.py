"""`nianbao serve` and `nianbao manage`: the web app from the command line.

serve: apply migrations, start the background workers, serve with waitress (pure Python, runs on any
intranet machine, Windows included). manage: Django's management commands (createsuperuser,
import_units, changepassword, …).
"""
from __future__ import annotations

import os
import sys


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nianbao.web.settings")
    import django
    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command
    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("createcachetable", verbosity=0)


def body_limit(app_limit: int) -> int:
    """waitress's own request limit, well above the app's: a request over the app's limit is answered by
    the app with its Chinese page (413); only one over twice that meets waitress's plain English refusal
    (waitress reads a whole body before the app sees it, so this bounds what a stranger can make it
    buffer). The upload page checks the size in the browser before sending."""
    return 2 * app_limit + 1024 * 1024


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = 8, workers: int = 1) -> int:
    setup()
    migrate()
    from django.conf import settings
    from waitress import serve as waitress_serve

    from . import jobs
    from .wsgi import application
    jobs.start(workers)
    sys.stderr.write(f"年报审核系统已启动：http://{host}:{port}/ （数据目录 {settings.DATA_DIR}；Ctrl+C 停止）\n"
                     f"nianbao web app on http://{host}:{port}/ (data in {settings.DATA_DIR})\n")
    if settings.PUBLIC_URL:
        sys.stderr.write(f"经反向代理访问（{settings.PUBLIC_URL}）：登录限制按代理转来的 X-Forwarded-For 计，代理须设置该头；"
                         f"可信代理地址 {','.join(settings.TRUSTED_PROXIES)}（NIANBAO_TRUSTED_PROXIES）。"
                         "收到缺少该头的请求时日志中会警告一次。\n")
    try:
        waitress_serve(application, host=host, port=port, threads=threads, ident="nianbao",
                       max_request_body_size=body_limit(settings.MAX_UPLOAD_BYTES), channel_timeout=300)
    finally:
        jobs.stop()
    return 0


def manage(argv: list[str]) -> int:
    setup()
    from django.core.management import execute_from_command_line
    if argv and argv[0] not in ("migrate", "help", "--help", "-h", "makemigrations", "check"):
        migrate()
    execute_from_command_line(["nianbao manage", *argv])
    return 0
