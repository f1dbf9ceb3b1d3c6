"""Login, rate limit, logout, home per role, CSRF, the one error shape."""
from __future__ import annotations

from django.test import Client

from .conftest import PASSWORD


def test_login_and_home_per_role(users, tree):
    targets = {"admin": "/regions/", "city": f"/regions/{tree['city'].pk}/", "author_xfl": "/author/"}
    for name, target in targets.items():
        c = Client()
        r = c.post("/login/", {"username": name, "password": PASSWORD})
        assert r.status_code == 302, name
        r = c.get("/")
        assert r.status_code == 302 and r["Location"] == target, name
        assert c.get("/?format=json").json()["home"] == target


def test_passwords_are_hashed(db):
    from django.conf import global_settings
    from django.contrib.auth.hashers import make_password
    from django.test import override_settings

    import nianbao.web.settings as production
    assert not hasattr(production, "PASSWORD_HASHERS")          # production keeps Django's default
    with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
        h = make_password(PASSWORD)
    assert h.startswith("pbkdf2_sha256$") and PASSWORD not in h


def test_wrong_password_then_rate_limited(users):
    c = Client()
    for _ in range(5):
        r = c.post("/login/", {"username": "city", "password": "wrong"})
        assert r.status_code == 400 and "不正确" in r.content.decode()
    r = c.post("/login/", {"username": "city", "password": PASSWORD}, HTTP_ACCEPT="application/json")
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "login-rate-limited"
    # another user from the same address is not locked yet
    assert Client().post("/login/", {"username": "other", "password": PASSWORD}).status_code == 302


def test_open_redirect_refused(users):
    r = Client().post("/login/", {"username": "city", "password": PASSWORD, "next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_csrf_enforced(users):
    c = Client(enforce_csrf_checks=True)
    r = c.post("/login/", {"username": "city", "password": PASSWORD}, HTTP_ACCEPT="application/json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    page = c.get("/login/")
    token = page.cookies["csrftoken"].value
    r = c.post("/login/", {"username": "city", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert r.status_code == 302


def test_logout_needs_post(clients):
    assert clients["city"].get("/logout/").status_code == 405
    assert clients["city"].post("/logout/").status_code == 302
    assert clients["city"].get("/uploads/").status_code == 302


def test_error_shape_is_one(clients):
    for c, url, status in [(clients["anon"], "/nowhere/?format=json", 404),
                           (clients["norole"], "/?format=json", 403),
                           (clients["city"], "/logout/?format=json", 405)]:
        r = c.get(url)
        assert r.status_code == status
        e = r.json()["error"]
        assert set(e) >= {"status", "code", "message", "message_en"} and e["status"] == status
    html = clients["anon"].get("/nowhere/")
    assert html.status_code == 404 and "未找到" in html.content.decode()


def test_no_role_user_sees_explanation(clients):
    r = clients["norole"].get("/")
    assert r.status_code == 403 and "尚未分配角色" in r.content.decode()
