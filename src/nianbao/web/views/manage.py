"""Administration (administrators only): import the unit tree, list it, and manage accounts — create
(username, name, role, unit, initial password checked by Django's validators), change role, unit and
name, deactivate or reactivate, reset the password.

    GET  /manage/                          the page: import form, unit tree, accounts, new-account form
    POST /manage/units/                    import a units file (field `file`, .xlsx or .csv)
    POST /manage/users/                    create an account
    GET  /manage/users/<id>/               one account (edit and password forms)
    POST /manage/users/<id>/               change name, role, unit
    POST /manage/users/<id>/deactivate/    stop the account (its sessions end at once)
    POST /manage/users/<id>/activate/
    POST /manage/users/<id>/password/      set a new password (field `password`); lifts its login locks
    POST /manage/users/<id>/unlock/        lift the account's login locks (every address)
    POST /manage/unlock-address/           lift an address's lock (field `address`; with `username`, only
                                           that name's lock from that address)

Every page has its JSON twin; errors use the one error shape, with `fields` for form errors.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import path
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import scope, throttle
from ..models import Profile, Report, Unit
from ..responses import as_json, error, page, wants_json
from ..units import UnitImportError, import_upload, tree_rows

ROLE_LABELS = dict(Profile.ROLES)
admin_only = scope.require_role(Profile.ADMIN)


class AccountError(Exception):
    """Form errors: {field: [Chinese messages]}."""

    def __init__(self, fields: dict[str, list[str]]):
        self.fields = fields
        super().__init__("；".join(m.rstrip("。") for ms in fields.values() for m in ms) + "。")


PASSWORD_ZH = {
    "password_too_short": "密码太短，至少需要 {min_length} 个字符。",
    "password_too_common": "密码太常见，容易被猜到。",
    "password_entirely_numeric": "密码不能全是数字。",
    "password_too_similar": "密码与{verbose_name}太相近。",
}


def password_problems(password: str, user: User) -> list[str]:
    """Django's validators (settings.AUTH_PASSWORD_VALIDATORS), their messages in Chinese."""
    try:
        validate_password(password, user)
    except ValidationError as e:
        out = []
        for err in e.error_list:
            params = dict(err.params or {})
            if err.code == "password_too_similar":
                name = str(params.get("verbose_name", ""))
                params["verbose_name"] = name if not name.isascii() else {
                    "username": "用户名", "first name": "名字", "last name": "姓氏", "email address": "电子邮箱"
                }.get(name.lower(), "账号信息")
            if err.code in PASSWORD_ZH:
                out.append(PASSWORD_ZH[err.code].format(**params))
            else:
                with translation.override("zh-hans"):
                    out.extend(err.messages)
        return out
    return []


def _role_unit(role: str, unit: Unit | None, errors: dict) -> None:
    if role not in ROLE_LABELS:
        errors.setdefault("role", []).append("请选择角色：管理员、审核人或编制人。")
    elif role != Profile.ADMIN and unit is None:
        errors.setdefault("unit", []).append("审核人和编制人必须选择单位（审核人管辖该单位及其下级，编制人只负责本单位）。")


def create_account(username: str, role: str, unit: Unit | None, password: str, display_name: str = "") -> User:
    """Validate and create a user with its Profile; raises AccountError with Chinese messages per field."""
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = ["请填写用户名。"]
    elif len(username) > 150 or any(c.isspace() for c in username):
        errors["username"] = ["用户名不能含空格，且不超过 150 个字符。"]
    elif User.objects.filter(username=username).exists():
        errors["username"] = [f"用户名“{username}”已被使用。"]
    _role_unit(role, unit, errors)
    user = User(username=username)
    problems = password_problems(password or "", user) if password else ["请填写初始密码。"]
    if problems:
        errors["password"] = problems
    if errors:
        raise AccountError(errors)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        Profile.objects.create(user=user, role=role, unit=unit, display_name=(display_name or "").strip()[:100])
    return user


# ----------------------------------------------------------------------------------------- data for pages
def _unit_label(u: Unit) -> str:
    return "\u3000" * u.depth + u.name


def user_dict(u: User) -> dict:
    p = getattr(u, "profile", None)
    role = scope.role(u)
    return {"id": u.id, "username": u.username, "display_name": p.display_name if p else "",
            "role": role, "role_label": ROLE_LABELS.get(role, "未分配"), "superuser": u.is_superuser,
            "unit": ({"id": p.unit.id, "name": p.unit.name} if p and p.unit else None),
            "active": u.is_active, "last_login": u.last_login, "date_joined": u.date_joined,
            "url": f"/manage/users/{u.id}/"}


def _manage_data() -> dict:
    units = tree_rows()
    users_by_unit = dict(Profile.objects.values_list("unit").annotate(n=Count("id")).values_list("unit", "n"))
    reports_by_unit = dict(Report.objects.values_list("unit").annotate(n=Count("id")).values_list("unit", "n"))
    users = User.objects.select_related("profile", "profile__unit").order_by("-is_active", "username")
    return {
        "units": [{"id": u.id, "name": u.name, "key": u.key, "level": u.level, "depth": u.depth,
                   "parent": u.parent_id, "label": _unit_label(u), "users": users_by_unit.get(u.id, 0),
                   "reports": reports_by_unit.get(u.id, 0)} for u in units],
        "users": [user_dict(u) for u in users],
        "roles": [{"value": v, "label": label} for v, label in Profile.ROLES],
        "login_locks": throttle.locks(),
    }


def _render_manage(request, status: int = 200, **extra):
    data = _manage_data()
    return page(request, "web/manage.html", data, status=status,
                extra={"form": extra.pop("form", {}), "form_errors": extra.pop("form_errors", {}), **extra})


def _unit_from(request, value) -> Unit | None:
    if not value:
        return None
    try:
        return Unit.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


# ----------------------------------------------------------------------------------------- views
@require_GET
@admin_only
def manage_home(request):
    return _render_manage(request)


@require_POST
@admin_only
def units_import(request):
    f = request.FILES.get("file")
    if f is None:
        return error(request, 400, "no-file", "没有选择单位表文件（.xlsx 或 .csv，列：名称、上级、层级）。",
                     "no units file chosen.")
    try:
        counts = import_upload(f)
    except UnitImportError as e:
        problems = [{"row": r, "message": m} for r, m in e.problems]
        if wants_json(request):
            return error(request, 400, "units-invalid", e.message, e.message_en, problems=problems)
        return _render_manage(request, status=400, import_problems=problems, import_name=f.name)
    if wants_json(request):
        return as_json({"file": f.name, "result": counts})
    return _render_manage(request, import_result=counts, import_name=f.name)


@require_POST
@admin_only
def users_create(request):
    form = {k: request.POST.get(k, "").strip() for k in ("username", "display_name", "role", "unit")}
    unit = _unit_from(request, form["unit"])
    try:
        if form["unit"] and unit is None:
            raise AccountError({"unit": ["所选单位不存在。"]})
        user = create_account(form["username"], form["role"], unit, request.POST.get("password", ""),
                              form["display_name"])
    except AccountError as e:
        if wants_json(request):
            return error(request, 400, "invalid", "账号未创建：" + str(e), "the account was not created.",
                         fields=e.fields)
        return _render_manage(request, status=400, form=form, form_errors=e.fields)
    if wants_json(request):
        return as_json({"account": user_dict(user)}, 201)
    messages.success(request, f"已创建账号 {user.username}（{ROLE_LABELS[form['role']]}）。")
    return redirect("/manage/#users")


def _user_or_404(request, pk: int):
    u = User.objects.select_related("profile", "profile__unit").filter(pk=pk).first()
    if u is None:
        return None, error(request, 404, "not-found", "账号不存在。", "no such user.")
    return u, None


def _render_user(request, u: User, status: int = 200, **extra):
    data = {"account": user_dict(u), "roles": [{"value": v, "label": label} for v, label in Profile.ROLES],
            "units": [{"id": x.id, "label": _unit_label(x)} for x in tree_rows()],
            "login_failures": throttle.user_failures(u.username)}
    return page(request, "web/manage_user.html", data, status=status,
                extra={"form_errors": extra.pop("form_errors", {}), **extra})


@require_http_methods(["GET", "POST"])
@admin_only
def user_detail(request, pk: int):
    u, err = _user_or_404(request, pk)
    if err:
        return err
    if request.method == "GET":
        return _render_user(request, u)
    role = request.POST.get("role", "").strip()
    unit = _unit_from(request, request.POST.get("unit"))
    errors: dict[str, list[str]] = {}
    if u.is_superuser and role != Profile.ADMIN:
        errors["role"] = ["超级管理员的角色不能在此更改（请用 nianbao manage 命令）。"]
    elif u.pk == request.user.pk and role != Profile.ADMIN:
        errors["role"] = ["不能取消自己的管理员角色；请让另一位管理员操作。"]
    if request.POST.get("unit") and unit is None:
        errors["unit"] = ["所选单位不存在。"]
    _role_unit(role, unit, errors)
    if errors:
        msg = "未保存：" + "；".join(m for ms in errors.values() for m in ms)
        if wants_json(request):
            return error(request, 400, "invalid", msg, "not saved.", fields=errors)
        return _render_user(request, u, status=400, form_errors=errors)
    p, _ = Profile.objects.get_or_create(user=u, defaults={"role": role})
    p.role, p.unit = role, unit
    if "display_name" in request.POST:
        p.display_name = request.POST["display_name"].strip()[:100]
    p.save()
    u.refresh_from_db()
    if wants_json(request):
        return as_json({"account": user_dict(u)})
    messages.success(request, f"已保存账号 {u.username}：{ROLE_LABELS[role]}{'，' + unit.name if unit else ''}。")
    return redirect(f"/manage/users/{u.pk}/")


def _set_active(request, pk: int, active: bool):
    u, err = _user_or_404(request, pk)
    if err:
        return err
    if not active and u.pk == request.user.pk:
        return error(request, 400, "self", "不能停用自己的账号。", "you cannot deactivate yourself.")
    u.is_active = active
    u.save(update_fields=["is_active"])
    if wants_json(request):
        return as_json({"account": user_dict(u)})
    messages.success(request, f"账号 {u.username} 已{'启用' if active else '停用（已登录的会话随即失效）'}。")
    return redirect(f"/manage/users/{u.pk}/")


@require_POST
@admin_only
def user_deactivate(request, pk: int):
    return _set_active(request, pk, False)


@require_POST
@admin_only
def user_activate(request, pk: int):
    return _set_active(request, pk, True)


@require_POST
@admin_only
def user_password(request, pk: int):
    u, err = _user_or_404(request, pk)
    if err:
        return err
    password = request.POST.get("password", "")
    problems = password_problems(password, u) if password else ["请填写新密码。"]
    if problems:
        if wants_json(request):
            return error(request, 400, "invalid", "密码未更改：" + "".join(problems), "password not changed.",
                         fields={"password": problems})
        return _render_user(request, u, status=400, form_errors={"password": problems})
    u.set_password(password)
    u.save(update_fields=["password"])
    throttle.clear(username=u.username)               # a reset lifts the lock
    if wants_json(request):
        return as_json({"account": user_dict(u), "password_changed": True})
    messages.success(request, f"已重置 {u.username} 的密码；请把新密码当面或电话告知本人，其已登录的会话随即失效。")
    return redirect(f"/manage/users/{u.pk}/")


@require_POST
@admin_only
def user_unlock(request, pk: int):
    u, err = _user_or_404(request, pk)
    if err:
        return err
    n = throttle.clear(username=u.username)
    if wants_json(request):
        return as_json({"account": user_dict(u), "cleared": n})
    messages.success(request, f"已解除 {u.username} 的登录限制（清除 {n} 条失败记录）。")
    return redirect(f"/manage/users/{u.pk}/")


@require_POST
@admin_only
def unlock_address(request):
    address = request.POST.get("address", "").strip()[:64]
    if not address:
        return error(request, 400, "no-address", "请指定要解除限制的地址。", "no address given.")
    username = request.POST.get("username") or None            # only this name from this address
    n = throttle.clear(username=username, address=address)
    if wants_json(request):
        return as_json({"address": address, "username": username, "cleared": n})
    who = f"账号 {username} 从" if username else ""
    messages.success(request, f"已解除{who}地址 {address} 的登录限制（清除 {n} 条失败记录）。")
    return redirect("/manage/#login-locks")


urlpatterns = [
    path("manage/", manage_home, name="manage"),
    path("manage/units/", units_import, name="manage-units"),
    path("manage/users/", users_create, name="manage-users"),
    path("manage/users/<int:pk>/", user_detail, name="manage-user"),
    path("manage/users/<int:pk>/deactivate/", user_deactivate, name="manage-user-deactivate"),
    path("manage/users/<int:pk>/activate/", user_activate, name="manage-user-activate"),
    path("manage/users/<int:pk>/password/", user_password, name="manage-user-password"),
    path("manage/users/<int:pk>/unlock/", user_unlock, name="manage-user-unlock"),
    path("manage/unlock-address/", unlock_address, name="manage-unlock-address"),
]
