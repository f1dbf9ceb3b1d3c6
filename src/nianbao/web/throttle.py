"""Login throttling, kept in the database so that every server process sees the same counts.

    client_address(request)     the client's address (behind a trusted proxy: from X-Forwarded-For)
    blocked(username, address)  why a login attempt is refused now, or None
    failed(username, address)   record a wrong password
    clear(username=…, address=…)  lift a lock (a successful login, an administrator, a password reset)
    locks()                     the locks in force, for the administrator's page
    ProxyHeaderCheck            middleware: with NIANBAO_PUBLIC_URL set, warn once in the log when requests
                                come without a usable X-Forwarded-For (every user would share one address)

Two limits, both over LOGIN_FAILURE_WINDOW seconds:
- per (user name, address): LOGIN_FAILURES_ALLOWED wrong passwords lock that name *from that address
  only* — nobody can lock another person out from the addresses that person uses;
- per address: LOGIN_FAILURES_PER_ADDRESS wrong passwords over all names lock the address (one machine
  guessing many accounts).
"""
from __future__ import annotations

import logging
from datetime import timedelta
from ipaddress import ip_address

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from .models import LoginFailure

log = logging.getLogger("nianbao.web")


def _valid(addr: str) -> bool:
    try:
        ip_address(addr)
        return True
    except ValueError:
        return False


def client_address(request) -> str:
    """REMOTE_ADDR; when that is a trusted reverse proxy (NIANBAO_TRUSTED_PROXIES), the right-most
    address in X-Forwarded-For that is not itself a trusted proxy (the left-most can be forged)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(settings.TRUSTED_PROXIES)
    if remote in trusted:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        for addr in reversed(forwarded):
            if addr not in trusted and _valid(addr):
                return addr[:64]
    return remote[:64]


def _recent():
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    return LoginFailure.objects.filter(created__gte=since)


def blocked(username: str, address: str) -> str | None:
    """"user" (this name from this address), "address" (this address for every name) or None."""
    recent = _recent()
    if recent.filter(username=username, address=address).count() >= settings.LOGIN_FAILURES_ALLOWED:
        return "user"
    if recent.filter(address=address).count() >= settings.LOGIN_FAILURES_PER_ADDRESS:
        return "address"
    return None


def failed(username: str, address: str) -> None:
    LoginFailure.objects.filter(
        created__lt=timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)).delete()
    LoginFailure.objects.create(username=username, address=address)


def clear(username: str | None = None, address: str | None = None) -> int:
    qs = LoginFailure.objects.all()
    if username is not None:
        qs = qs.filter(username=username)
    if address is not None:
        qs = qs.filter(address=address)
    if username is None and address is None:
        return 0
    return qs.delete()[0]


def locks() -> dict:
    """{"users": [{username, address, failures, last}], "addresses": [{address, failures, last}]}: the
    locks in force now."""
    recent = _recent()
    pairs = (recent.values("username", "address").annotate(failures=Count("id"), last=Max("created"))
             .filter(failures__gte=settings.LOGIN_FAILURES_ALLOWED).order_by("username", "address"))
    addrs = (recent.values("address").annotate(failures=Count("id"), last=Max("created"))
             .filter(failures__gte=settings.LOGIN_FAILURES_PER_ADDRESS).order_by("address"))
    return {"users": list(pairs), "addresses": list(addrs)}


def user_failures(username: str) -> list[dict]:
    """Recent wrong passwords for one name, per address, with whether that address is locked for it."""
    rows = (_recent().filter(username=username).values("address")
            .annotate(failures=Count("id"), last=Max("created")).order_by("-last"))
    return [{**r, "locked": r["failures"] >= settings.LOGIN_FAILURES_ALLOWED} for r in rows]


# ----------------------------------------------------------------------------------------- behind a proxy
_warned: set[str] = set()


def proxy_header_problem(request) -> str | None:
    """Why this request's client address is the proxy's own (so that every user behind it shares one
    login lock), or None: "missing" — it came from a trusted proxy without X-Forwarded-For; "untrusted"
    — it carries X-Forwarded-For but came from an address not in NIANBAO_TRUSTED_PROXIES."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").strip()
    if remote in settings.TRUSTED_PROXIES and not forwarded:
        return "missing"
    if forwarded and remote not in settings.TRUSTED_PROXIES:
        return "untrusted"
    return None


def warn_proxy_headers(request) -> str | None:
    """With NIANBAO_PUBLIC_URL set (the app is behind a reverse proxy), log a warning the first time a
    request shows that the proxy's header is missing or not trusted. Returns the problem warned about."""
    if not getattr(settings, "PUBLIC_URL", ""):
        return None
    problem = proxy_header_problem(request)
    if problem is None or problem in _warned:
        return None
    _warned.add(problem)
    remote = request.META.get("REMOTE_ADDR", "")
    if problem == "missing":
        log.warning("已设置 NIANBAO_PUBLIC_URL，但来自代理 %s 的请求没有 X-Forwarded-For 头：所有用户将共用同一个地址的"
                    "登录限制（一人输错密码多次，全体被锁）。请在代理中设置 proxy_set_header X-Forwarded-For "
                    "$proxy_add_x_forwarded_for;（见 README 的 HTTPS 一节）。 / NIANBAO_PUBLIC_URL is set but requests "
                    "from the proxy %s carry no X-Forwarded-For header: all users share one per-address login "
                    "lock; set the header in the proxy.", remote, remote)
    else:
        log.warning("收到带 X-Forwarded-For 的请求，但来自未信任的地址 %s，该头被忽略：经此代理的所有用户将共用同一个地址的"
                    "登录限制。若 %s 是本系统的反向代理，请把它加入 NIANBAO_TRUSTED_PROXIES。 / a request with "
                    "X-Forwarded-For came from %s, which is not in NIANBAO_TRUSTED_PROXIES; the header is ignored and "
                    "all users behind it share one per-address login lock.", remote, remote, remote)
    return problem


class ProxyHeaderCheck:
    """Middleware for warn_proxy_headers (costs a dictionary look-up per request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(_warned) < 2:
            warn_proxy_headers(request)
        return self.get_response(request)
