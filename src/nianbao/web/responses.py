"""One way to answer: `page()` renders a template, or — for `?format=json` or `Accept: application/json` —
the same data as JSON (the page's JSON twin). One error shape for every error, HTML or JSON:

    {"error": {"status": 403, "code": "forbidden", "message": "中文说明", "message_en": "English"}}
"""
from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from urllib.parse import quote

log = logging.getLogger("nianbao.web")


def wants_json(request) -> bool:
    if request.GET.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def as_json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, encoder=DjangoJSONEncoder, safe=False,
                        json_dumps_params={"ensure_ascii": False})


def page(request, template: str, data: dict, status: int = 200, extra: dict | None = None) -> HttpResponse:
    """`data` must be JSON-serialisable: it is the JSON twin. `extra` holds template-only objects."""
    if wants_json(request):
        return as_json(data, status)
    # the logged-in user always wins over a data key named "user" (the site header needs it)
    context = {**data, **(extra or {}), "json_url": _json_url(request), "user": request.user}
    return render(request, template, context, status=status)


def _json_url(request) -> str:
    q = request.GET.copy()
    q["format"] = "json"
    return f"{request.path}?{q.urlencode()}"


TITLES = {400: "请求有误", 403: "没有权限", 404: "未找到", 405: "不支持的操作", 413: "文件过大",
          429: "尝试次数过多", 500: "服务器内部错误"}


def error(request, status: int, code: str, message: str, message_en: str, **extra) -> HttpResponse:
    body = {"error": {"status": status, "code": code, "message": message, "message_en": message_en, **extra}}
    if wants_json(request) or request.path.endswith((".json", ".xlsx", ".png", ".svg", ".docx")):
        response = as_json(body, status)
    else:
        response = render(request, "web/error.html", {**body["error"], "title": TITLES.get(status, "出错了")},
                          status=status)
    response._nianbao_error = True
    return response


def login_required_response(request) -> HttpResponse:
    if wants_json(request):
        return error(request, 401, "login-required", "请先登录。", "please log in.")
    return HttpResponseRedirect(f"{reverse('login')}?next={quote(request.get_full_path())}")


# Django's handlers, wired in urls.py
def bad_request(request, exception=None):
    return error(request, 400, "bad-request", "请求格式不正确。", "malformed request.")


def forbidden(request, exception=None):
    return error(request, 403, "forbidden", "您没有权限执行此操作。", "you may not do this.")


def not_found(request, exception=None):
    msg = str(exception) if exception and str(exception) and "\n" not in str(exception) else ""
    if not msg or msg.startswith(("No ", "Resolver404", "{")) or "path" in msg:
        msg = "页面不存在，或不在您的权限范围内。"
    return error(request, 404, "not-found", msg, "not found, or outside your scope.")


def server_error(request):
    return error(request, 500, "internal", "服务器内部错误，已记录日志；请稍后再试或联系管理员。",
                 "internal error; it was logged.")


def csrf_failure(request, reason=""):
    return error(request, 403, "csrf", "页面已过期或来源不明（CSRF 校验失败）；请刷新页面后重试。",
                 "CSRF check failed; reload the page and try again.")


class JsonErrorMiddleware:
    """Refuse oversized requests before reading them, and turn any uncaught exception into the error
    shape (logged with its traceback, never shown)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_UPLOAD_BYTES:
            return error(request, 413, "too-large",
                         f"上传内容过大（{length / 1048576:.0f} MB，单次上限 {settings.MAX_UPLOAD_BYTES // 1048576} MB）；"
                         "请分批上传或压缩后上传。",
                         f"request too large ({length / 1048576:.0f} MB, limit "
                         f"{settings.MAX_UPLOAD_BYTES // 1048576} MB).")
        response = self.get_response(request)
        # defence in depth behind the sanitiser: no inline or foreign scripts, no plugins, no framing
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # no logged-in page stays in a shared browser's cache (page images and charts set their own)
            response.headers.setdefault("Cache-Control", "no-store")
        if response.status_code == 405 and not getattr(response, "_nianbao_error", False):
            allowed = response.get("Allow", "")
            response = error(request, 405, "method-not-allowed", f"此地址不支持 {request.method} 操作（可用：{allowed}）。",
                             f"{request.method} is not allowed here (allowed: {allowed}).")
            response["Allow"] = allowed
        return response

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
        from django.http import Http404
        if isinstance(exception, (Http404, PermissionDenied)):
            return None
        if isinstance(exception, (RequestDataTooBig, TooManyFilesSent)):
            return error(request, 413, "too-large", "提交的内容或文件数量超过上限；请分批上传。",
                         "too much data or too many files in one request.")
        log.exception("unhandled error on %s", request.path)
        return server_error(request)


def json_body(request) -> dict:
    try:
        return json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
