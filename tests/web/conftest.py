"""Web fixtures: a small region tree, one user per role and scope, logged-in clients, an uploaded seed.

    临清市 (reviewer `city`)
    ├── 先锋路街道 (author `author_xfl`)     ← seeds 000 (2020) and 002 (2021)
    └── 青年路街道 (author `author_qnl`)
    其他县 (reviewer `other`)
    └── 平湖街道
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nianbao.web import ingest, jobs
from nianbao.web.models import Profile, Unit

SEEDS = Path(__file__).parents[1] / "data" / "seeds"
SEED_000 = SEEDS / "000_ca8a2528f0fad91b.txt"
SEED_002 = SEEDS / "002_4db7ac69ce8a2181.txt"
SEED_003 = SEEDS / "003_74ac7cc249356a73.txt"
PASSWORD = "Nianbao-2026!"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")
    # PBKDF2 at full strength costs ~0.3 s a user; tests/web/test_auth.py checks the real hasher
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture
def tree(db):
    city = Unit.objects.create(name="临清市", key="临清市", level="县级市")
    xfl = Unit.objects.create(name="临清市先锋路街道办事处", key="先锋路街道", parent=city, level="街道")
    qnl = Unit.objects.create(name="临清市青年路街道办事处", key="青年路街道", parent=city, level="街道")
    other = Unit.objects.create(name="其他县", key="其他县", level="县")
    ph = Unit.objects.create(name="平湖街道办事处", key="平湖街道", parent=other, level="街道")
    return {"city": city, "xfl": xfl, "qnl": qnl, "other": other, "ph": ph}


def make_user(username: str, role: str | None, unit: Unit | None, superuser: bool = False) -> User:
    if superuser:
        u = User.objects.create_superuser(username, password=PASSWORD)
    else:
        u = User.objects.create_user(username, password=PASSWORD)
    if role:
        Profile.objects.create(user=u, role=role, unit=unit, display_name=username)
    return u


@pytest.fixture
def users(tree):
    return {
        "admin": make_user("admin", None, None, superuser=True),
        "city": make_user("city", Profile.REVIEWER, tree["city"]),
        "other": make_user("other", Profile.REVIEWER, tree["other"]),
        "author_xfl": make_user("author_xfl", Profile.AUTHOR, tree["xfl"]),
        "author_qnl": make_user("author_qnl", Profile.AUTHOR, tree["qnl"]),
        "norole": make_user("norole", None, None),
    }


@pytest.fixture
def clients(users):
    """{name: Client logged in as that user}."""
    out = {}
    for name, u in users.items():
        c = Client()
        c.force_login(u)
        out[name] = c
    out["anon"] = Client()
    return out


def upload(user, path_or_name, data: bytes | None = None, unit: Unit | None = None):
    """Upload through the library and process at once (what the worker does in a server)."""
    if data is None:
        data = Path(path_or_name).read_bytes()
    f = SimpleUploadedFile(Path(path_or_name).name, data)
    up = ingest.accept(user, unit, [f])
    jobs.run_pending()
    return up


@pytest.fixture
def seed002(users):
    """Seed 002 (先锋路街道 2021) uploaded by the city reviewer, after seed 000 (2020)."""
    upload(users["city"], SEED_000)
    up = upload(users["city"], SEED_002)
    return up.files.get().report


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in members.items():
            zf.writestr(n, b)
    return buf.getvalue()
