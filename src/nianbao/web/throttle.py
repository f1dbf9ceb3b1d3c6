"""Login throttling, kept in the database so that every server process sees the same counts.

    client_address(request)     the client's address (behind a trusted proxy: from X-Forwarded-For)
    blocked(username, address)  why a login attempt is refused now, or None
    failed(username, address)   record a wrong password
    clear(username=…, address=…)  lift a lock (a successful login, an administrator, a password reset)
    locks()                     the locks in force, for the administrator's page

Two limits, both over LOGIN_FAILURE_WINDOW seconds:
- per (user name, address): LOGIN_FAILURES_ALLOWED wrong passwords lock that name *from that address
  only* — nobody can lock another person out from the addresses that person uses;
- per address: LOGIN_FAILURES_PER_ADDRESS wrong passwords over all names lock the address (one machine
  guessing many accounts).
"""
from __future__ import annotations

from datetime import timedelta
from ipaddress import ip_address

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from .models import LoginFailure


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
