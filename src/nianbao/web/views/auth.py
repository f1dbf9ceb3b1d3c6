"""Log in (throttled per user name and address, and per address: throttle.py), log out, change one's
own password, and the home page that sends each role to where its work is."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.shortcuts import redirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from .. import scope, throttle
from ..models import Profile
from ..responses import as_json, error, page, wants_json


@require_http_methods(["GET", "POST"])
def login_view(request):
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = ""
    data = {"next": nxt, "username": "", "error": None}
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        data["username"] = username
        address = throttle.client_address(request)
        if why := throttle.blocked(username, address):
            minutes = settings.LOGIN_FAILURE_WINDOW // 60
            what = "此账号在本机" if why == "user" else "本机（本地址）"
            return error(request, 429, "login-rate-limited",
                         f"{what}登录失败次数过多，请 {minutes} 分钟后再试，或请管理员解除限制。",
                         f"too many failed logins from this address; try again in {minutes} minutes.",
                         limit="user-address" if why == "user" else "address")
        user = authenticate(request, username=username, password=request.POST.get("password", ""))
        if user is None:
            throttle.failed(username, address)
            data["error"] = "用户名或密码不正确。"
            if wants_json(request):
                return error(request, 400, "login-failed", data["error"], "wrong user name or password.")
            return page(request, "web/login.html", data, status=400)
        throttle.clear(username=username, address=address)
        login(request, user)
        if wants_json(request):
            return as_json({"user": user.username, "role": scope.role(user)})
        return redirect(nxt or "home")
    return page(request, "web/login.html", data)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@require_http_methods(["GET", "POST"])
@scope.login
def password_view(request):
    """Change one's own password: the current one, then the new one twice (Django's validators)."""
    from .manage import password_problems
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        user = request.user
        old, new, again = (request.POST.get(k, "") for k in ("old_password", "new_password", "new_password2"))
        if not user.check_password(old):
            errors["old_password"] = ["当前密码不正确。"]
        if not new:
            errors["new_password"] = ["请填写新密码。"]
        elif new != again:
            errors["new_password2"] = ["两次输入的新密码不一致。"]
        elif new == old:
            errors["new_password"] = ["新密码不能与当前密码相同。"]
        elif problems := password_problems(new, user):
            errors["new_password"] = problems
        if not errors:
            user.set_password(new)
            user.save(update_fields=["password"])
            update_session_auth_hash(request, user)      # this session stays; the user's others end
            throttle.clear(username=user.username)
            if wants_json(request):
                return as_json({"password_changed": True})
            messages.success(request, "密码已修改；您在其他设备上的登录已失效。")
            return redirect("password")
        msg = "密码未修改：" + "；".join(m.rstrip("。") for ms in errors.values() for m in ms) + "。"
        if wants_json(request):
            return error(request, 400, "invalid", msg, "password not changed.", fields=errors)
    return page(request, "web/password.html", {"fields": list(errors)}, status=400 if errors else 200,
                extra={"form_errors": errors})


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
    path("password/", password_view, name="password"),
    path("", home, name="home"),
]
