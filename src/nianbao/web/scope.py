"""Who may see or change what. Every view asks here; nothing else decides permissions.

- administrator (Django superuser or Profile.role == admin): everything;
- reviewer: the subtree of Profile.unit (reports, dashboards, uploads, decisions, corrections);
- author: Profile.unit only (its ledger, its reports; no review decisions).

Objects outside a user's scope answer 404 ("未找到，或不在您的权限范围内"), exactly like objects
that do not exist, so that nobody learns what other regions have.
"""
from __future__ import annotations

from functools import wraps

from django.http import Http404

from .models import Profile, Report, Unit

NOT_FOUND = "未找到，或不在您的权限范围内。"


def role(user) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Profile.ADMIN
    p = getattr(user, "profile", None)
    return p.role if p else None


def display_name(user) -> str:
    """The name people see: the profile's 姓名, else the user name ("？" for a deleted user)."""
    if user is None:
        return "？"
    p = getattr(user, "profile", None)
    return (p.display_name if p and p.display_name else "") or user.username


def home_unit(user) -> Unit | None:
    p = getattr(user, "profile", None) if user.is_authenticated else None
    return p.unit if p else None


def is_admin(user) -> bool:
    return role(user) == Profile.ADMIN


def units(user):
    """Units the user may see."""
    r = role(user)
    if r == Profile.ADMIN:
        return Unit.objects.all()
    unit = home_unit(user)
    if unit is None:
        return Unit.objects.none()
    if r == Profile.REVIEWER:
        return unit.subtree()
    if r == Profile.AUTHOR:
        return Unit.objects.filter(pk=unit.pk)
    return Unit.objects.none()


def reports(user, withdrawn: bool = False):
    """Reports the user may see; withdrawn ones (soft-deleted) only with `withdrawn=True`."""
    qs = Report.objects.all() if withdrawn else Report.objects.filter(withdrawn__isnull=True)
    r = role(user)
    if r == Profile.ADMIN:
        return qs
    unit = home_unit(user)
    if unit is None or r is None:
        return Report.objects.none()
    if r == Profile.REVIEWER:
        return qs.filter(unit__path__startswith=unit.path)
    return qs.filter(unit=unit)


def unit_or_404(user, pk) -> Unit:
    u = units(user).filter(pk=pk).first()
    if u is None:
        raise Http404(NOT_FOUND)
    return u


def report_or_404(user, pk, withdrawn: bool = False) -> Report:
    """A report in scope; a withdrawn one only with `withdrawn=True` and only for reviewers and administrators
    (its page and history stay readable for them)."""
    withdrawn = withdrawn and role(user) in (Profile.ADMIN, Profile.REVIEWER)
    r = reports(user, withdrawn).select_related("unit").filter(pk=pk).first()
    if r is None:
        raise Http404(NOT_FOUND)
    return r


def region_or_404(user, pk) -> Unit:
    """A unit whose region dashboard, workbook and charts the user may see: administrators any unit,
    reviewers their subtree; authors and everyone else 404."""
    if role(user) not in (Profile.ADMIN, Profile.REVIEWER):
        raise Http404(NOT_FOUND)
    return unit_or_404(user, pk)


def can_review(user, report: Report) -> bool:
    """Confirm/dismiss findings and correct values: administrators and reviewers in scope."""
    return role(user) in (Profile.ADMIN, Profile.REVIEWER) and reports(user).filter(pk=report.pk).exists()


def can_submit(user, report: Report) -> bool:
    """Submit a unit's report for review: its authors, and administrators."""
    return can_author(user, report.unit)


def can_comment(user, report: Report) -> bool:
    """Write in a finding's thread: the unit's authors, reviewers in scope, administrators."""
    return can_author(user, report.unit) or can_review(user, report)


def can_upload(user) -> bool:
    return role(user) in (Profile.ADMIN, Profile.REVIEWER, Profile.AUTHOR)


def can_author(user, unit: Unit) -> bool:
    """Edit a unit's ledger and narrative: its authors, and administrators."""
    r = role(user)
    return r == Profile.ADMIN or (r == Profile.AUTHOR and home_unit(user) is not None and home_unit(user).pk == unit.pk)


def require_role(*roles):
    """View decorator: logged in (else to the login page) and one of the roles (else 403)."""
    def deco(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            from .responses import error, login_required_response
            if not request.user.is_authenticated:
                return login_required_response(request)
            if roles and role(request.user) not in roles:
                return error(request, 403, "forbidden", "您的账号没有使用此功能的权限。",
                             "your account may not use this page.")
            return view(request, *args, **kwargs)
        return wrapper
    return deco


login = require_role()          # any logged-in user with or without a role
ANY = (Profile.ADMIN, Profile.REVIEWER, Profile.AUTHOR)
REVIEW = (Profile.ADMIN, Profile.REVIEWER)


def context(request) -> dict:
    """Template context: the user's role, home unit and navigation."""
    user = request.user
    r = role(user)
    nav = []
    if r in REVIEW:
        home = home_unit(user)
        if home is not None:
            nav.append(("region", "辖区总览", f"/regions/{home.pk}/"))
        elif r == Profile.ADMIN:
            nav.append(("region", "辖区总览", "/regions/"))
        nav.append(("reports", "报告", "/reports/"))
    if r in ANY:
        nav.append(("uploads", "上传", "/uploads/"))
    if r in (Profile.AUTHOR, Profile.ADMIN):
        nav.append(("author", "编制年报", "/author/"))
    if r == Profile.ADMIN:
        nav.append(("admin", "单位与账号", "/manage/"))
    return {"nb_role": r, "nb_role_label": dict(Profile.ROLES).get(r, ""), "nb_unit": home_unit(user),
            "nb_nav": nav}
