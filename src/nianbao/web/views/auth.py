"""Log in (rate-limited per user name and per address), log out, and the home page that sends each role
to where its work is."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from .. import scope
from ..models import LoginFailure, Profile
from ..responses import as_json, error, page, wants_json


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


def _locked(username: str, address: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    recent = LoginFailure.objects.filter(created__gte=since)
    n = settings.LOGIN_FAILURES_ALLOWED
    return (recent.filter(username=username).count() >= n
            or recent.filter(address=address).count() >= 4 * n)


@require_http_methods(["GET", "POST"])
def login_view(request):
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = ""
    data = {"next": nxt, "username": "", "error": None}
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        data["username"] = username
        address = _address(request)
        if _locked(username, address):
            minutes = settings.LOGIN_FAILURE_WINDOW // 60
            return error(request, 429, "login-rate-limited",
                         f"登录失败次数过多，请 {minutes} 分钟后再试，或联系管理员重置密码。",
                         f"too many failed logins; try again in {minutes} minutes.")
        user = authenticate(request, username=username, password=request.POST.get("password", ""))
        if user is None:
            LoginFailure.objects.filter(
                created__lt=timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)).delete()
            LoginFailure.objects.create(username=username, address=address)
            data["error"] = "用户名或密码不正确。"
            if wants_json(request):
                return error(request, 400, "login-failed", data["error"], "wrong user name or password.")
            return page(request, "web/login.html", data, status=400)
        LoginFailure.objects.filter(username=username).delete()
        login(request, user)
        if wants_json(request):
            return as_json({"user": user.username, "role": scope.role(user)})
        return redirect(nxt or "home")
    return page(request, "web/login.html", data)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@scope.login
def home(request):
    r = scope.role(request.user)
    unit = scope.home_unit(request.user)
    if r == Profile.AUTHOR:
        target = "/author/"
    elif r == Profile.REVIEWER and unit is not None:
        target = f"/regions/{unit.pk}/"
    elif r == Profile.ADMIN:
        target = "/regions/"
    else:
        return error(request, 403, "no-role", "您的账号尚未分配角色或单位，请联系管理员。",
                     "your account has no role yet; ask an administrator.")
    if wants_json(request):
        return as_json({"user": request.user.username, "role": r, "unit": unit.pk if unit else None, "home": target})
    return redirect(target)


urlpatterns = [
    path("login/", login_view, name="login"),
    path("logout/", logout_view, name="logout"),
    path("", home, name="home"),
]
