"""Security: each hole found by probing the app as an attacker would (issue 14) has a test here."""
from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nianbao.web import ingest, jobs
from nianbao.web.models import Report, UploadFile

from .conftest import PASSWORD, SEED_002, SEED_003, upload, zip_bytes


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def post_files(client, files: dict[str, bytes], **extra):
    return client.post("/uploads/", {"files": [SimpleUploadedFile(n, b) for n, b in files.items()]}, **extra)


# ----------------------------------------------------------------------------------------- zip
def many_member_bomb(n: int = 300, size: int = 1024 * 1024) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for i in range(n):
            zf.writestr(f"r{i:03d}.txt", b"\0" * size)
    return buf.getvalue()


def test_many_small_members_zip_bomb_refused_and_nothing_stored(clients, tree):
    """300 members of 1 MiB each (no member over the per-member floor): refused whole, nothing on disk."""
    bomb = many_member_bomb()
    assert len(bomb) < 400 * 1024                       # ~339 KB that expands to 300 MiB
    r = post_files(clients["city"], {"bomb.zip": bomb}, HTTP_ACCEPT="application/json")
    assert r.status_code == 201
    files = r.json()["files"]
    assert [f["error_code"] for f in files] == ["zip-bomb"], files
    assert "压缩炸弹" in files[0]["error"] and "300 MB" in files[0]["error"]
    assert stored_files() == []
    assert jobs.run_pending() == 0 and Report.objects.count() == 0


def test_zip_expanded_total_and_member_count_capped(clients, tree, settings):
    """The total and the count are judged over all members together, before anything is written."""
    settings.MAX_ZIP_TOTAL_BYTES = 3 * 1024 * 1024
    data = zip_bytes({f"{i}.txt": os.urandom(1024 * 1024) for i in range(4)})     # incompressible
    files = post_files(clients["city"], {"big.zip": data}, HTTP_ACCEPT="application/json").json()["files"]
    assert [f["error_code"] for f in files] == ["zip-too-large"]
    settings.MAX_ZIP_MEMBERS = 10
    data = zip_bytes({f"{i}.txt": b"x" for i in range(11)})
    files = post_files(clients["city"], {"many.zip": data}, HTTP_ACCEPT="application/json").json()["files"]
    assert [f["error_code"] for f in files] == ["zip-too-many"]
    assert stored_files() == []


def test_failed_and_duplicate_files_leave_nothing_on_disk(users, tree):
    up = upload(users["city"], "junk.txt", b"hello")             # a 5-byte file: read, then failed
    assert up.files.get().status == UploadFile.FAILED
    assert stored_files() == []
    upload(users["city"], SEED_002)
    upload(users["city"], SEED_002)                               # the duplicate's copy goes too
    assert sorted(UploadFile.objects.values_list("status", flat=True)) == ["done", "duplicate", "failed"]
    rep = Report.objects.get()
    assert [p.name for p in stored_files()] == [Path(rep.source.name).name]
    assert rep.source.open("rb").read() == SEED_002.read_bytes()


def test_purge_removes_copies_older_versions_kept(users, tree):
    up = upload(users["city"], "junk.txt", b"hello")
    uf = up.files.get()
    uf.file.save("old.txt", io.BytesIO(b"hello"), save=True)     # what an older version left behind
    assert len(stored_files()) == 1
    assert ingest.purge_failed_files() == 1
    assert stored_files() == [] and UploadFile.objects.get().file.name == ""


# ----------------------------------------------------------------------------------------- duplicates
def test_duplicate_across_scopes_reveals_nothing(clients, tree):
    """其他县's reviewer uploads a file 临清市 already has: told only 「与已有文件相同」 — no unit, no
    year, no report id, no link."""
    post_files(clients["city"], {"002.txt": SEED_002.read_bytes()})
    jobs.run_pending()
    rep = Report.objects.get()
    r = post_files(clients["other"], {"mine.txt": SEED_002.read_bytes()}, HTTP_ACCEPT="application/json")
    url = r.json()["url"]
    jobs.run_pending()
    d = clients["other"].get(url + "?format=json").json()
    f = d["files"][0]
    assert f["status"] == "duplicate" and f["error"] == "与已有文件相同，未重复保存。"
    assert f["report"] is None
    html = clients["other"].get(url).content.decode()
    table = html[html.index('id="ok-files"'):]
    for body in (table[:table.index("</table>")], str(d)):
        assert "先锋路" not in body and "临清" not in body and "2021" not in body
        assert f"/reports/{rep.pk}" not in body
    # the uploader's own scope still links to the report it duplicates
    r = post_files(clients["city"], {"again.txt": SEED_002.read_bytes()}, HTTP_ACCEPT="application/json")
    jobs.run_pending()
    d = clients["city"].get(r.json()["url"] + "?format=json").json()
    assert d["files"][0]["error"] == "与已有文件相同，未重复保存。"
    assert d["files"][0]["report"]["url"] == f"/reports/{rep.pk}/"


# ----------------------------------------------------------------------------------------- login
def attempt(address: str, username: str, password: str, **extra):
    return Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password},
                                            HTTP_ACCEPT="application/json", **extra)


def lock(username: str, address: str = "10.0.0.66") -> None:
    for _ in range(5):
        assert attempt(address, username, "wrong").status_code == 400
    r = attempt(address, username, PASSWORD)
    assert r.status_code == 429 and r.json()["error"]["limit"] == "user-address"


def test_lockout_from_another_address_does_not_lock_the_user(users):
    """Five wrong passwords for admin from an attacker's machine lock admin on that machine only."""
    lock("admin")
    assert attempt("10.0.0.5", "admin", PASSWORD).status_code == 200        # admin's own machine
    r = Client(REMOTE_ADDR="10.0.0.5").post("/login/", {"username": "admin", "password": PASSWORD})
    assert r.status_code == 302
    assert attempt("10.0.0.66", "city", PASSWORD).status_code == 200        # other names from there: not locked


def test_address_guessing_many_names_is_locked(users):
    for i in range(20):
        assert attempt("10.0.0.66", f"guess{i}", "wrong").status_code == 400
    r = attempt("10.0.0.66", "city", PASSWORD)
    assert r.status_code == 429 and r.json()["error"]["limit"] == "address"
    assert "稍后再试" in r.json()["error"]["message"] or "分钟后再试" in r.json()["error"]["message"]
    assert attempt("10.0.0.7", "city", PASSWORD).status_code == 200


def test_client_address_behind_trusted_proxy(users):
    """Behind the local reverse proxy the client is the right-most forwarded address; a forged left-most
    entry changes nothing, and a client that is not a trusted proxy cannot choose its address."""
    for _ in range(5):
        attempt("127.0.0.1", "city", "wrong", HTTP_X_FORWARDED_FOR="1.1.1.1, 10.0.0.66")
    assert attempt("127.0.0.1", "city", PASSWORD, HTTP_X_FORWARDED_FOR="2.2.2.2, 10.0.0.66").status_code == 429
    assert attempt("127.0.0.1", "city", PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.66, 10.0.0.8").status_code == 200
    assert attempt("10.0.0.66", "city", PASSWORD).status_code == 429
    assert attempt("10.0.0.9", "city", PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.66").status_code == 200


def test_admin_sees_and_lifts_locks(users, clients):
    lock("city")
    uid = users["city"].pk
    d = clients["admin"].get(f"/manage/users/{uid}/?format=json").json()
    assert d["login_failures"][0]["address"] == "10.0.0.66" and d["login_failures"][0]["locked"]
    assert clients["admin"].get("/manage/?format=json").json()["login_locks"]["users"][0]["username"] == "city"
    assert "解除登录限制" in clients["admin"].get(f"/manage/users/{uid}/").content.decode()
    assert clients["city"].post(f"/manage/users/{uid}/unlock/").status_code == 403      # admins only
    assert clients["admin"].post(f"/manage/users/{uid}/unlock/").status_code == 302
    assert attempt("10.0.0.66", "city", PASSWORD).status_code == 200
    for i in range(20):
        attempt("10.0.0.66", f"guess{i}", "wrong")
    locks = clients["admin"].get("/manage/?format=json").json()["login_locks"]
    assert [a["address"] for a in locks["addresses"]] == ["10.0.0.66"]
    assert "解除此地址" in clients["admin"].get("/manage/").content.decode()
    r = clients["admin"].post("/manage/unlock-address/", {"address": "10.0.0.66"}, HTTP_ACCEPT="application/json")
    assert r.json()["cleared"] == 20
    assert attempt("10.0.0.66", "city", PASSWORD).status_code == 200


def test_password_reset_lifts_the_lock(users, clients):
    lock("city")
    r = clients["admin"].post(f"/manage/users/{users['city'].pk}/password/", {"password": "Qingming-2027!"})
    assert r.status_code == 302
    assert attempt("10.0.0.66", "city", "Qingming-2027!").status_code == 200


def test_users_change_their_own_password(users):
    c = Client()
    c.force_login(users["author_xfl"])
    assert "修改密码" in c.get("/author/").content.decode()                 # in every page's header
    assert c.get("/password/").status_code == 200

    def change(old, new, again=None):
        return c.post("/password/", {"old_password": old, "new_password": new,
                                     "new_password2": new if again is None else again},
                      HTTP_ACCEPT="application/json")
    r = change("wrong", "Qingming-2027!")
    assert r.status_code == 400 and r.json()["error"]["fields"]["old_password"] == ["当前密码不正确。"]
    assert change(PASSWORD, "Qingming-2027!", "Qingming-2028!").json()["error"]["fields"]["new_password2"]
    weak = change(PASSWORD, "12345678").json()["error"]
    assert "全是数字" in weak["message"] and "常见" in weak["message"]
    html = c.post("/password/", {"old_password": PASSWORD, "new_password": "12345678", "new_password2": "12345678"})
    assert html.status_code == 400 and "密码不能全是数字" in html.content.decode()
    assert change(PASSWORD, "Qingming-2027!").json() == {"password_changed": True}
    assert c.get("/author/").status_code == 200                             # this session stays
    assert attempt("10.0.0.5", "author_xfl", PASSWORD).status_code == 400
    assert attempt("10.0.0.5", "author_xfl", "Qingming-2027!").status_code == 200
    assert Client().get("/password/").status_code == 302                    # logged in only


# ----------------------------------------------------------------------------------------- caching
def test_logged_in_pages_are_not_stored(clients, tree):
    for url in ("/uploads/", "/reports/?format=json", f"/regions/{tree['city'].pk}/", "/password/"):
        r = clients["city"].get(url)
        assert r.status_code == 200 and r["Cache-Control"] == "no-store", url
    assert "no-store" not in Client().get("/login/").get("Cache-Control", "")


# ----------------------------------------------------------------------------------------- HTTPS
HOST = "nianbao.example.gov.cn"


def https_login(client: Client):
    """GET the login page and POST it the way a browser does behind nginx: https origin and referer,
    the proxy's X-Forwarded-Proto."""
    proxy = {"HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https"}
    page = client.get("/login/", **proxy)
    token = page.cookies["csrftoken"]
    r = client.post("/login/", {"username": "city", "password": PASSWORD, "csrfmiddlewaretoken": token.value},
                    HTTP_ORIGIN=f"https://{HOST}", HTTP_REFERER=f"https://{HOST}/login/", **proxy)
    return page, token, r


def test_https_login_through_proxy_header(users, settings):
    from nianbao.web.settings import public_url_settings
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    # without NIANBAO_PUBLIC_URL the https origin does not match what the app sees (http): refused
    _, _, r = https_login(Client(enforce_csrf_checks=True))
    assert r.status_code == 403 and "CSRF" in r.content.decode()
    public = public_url_settings(f"https://{HOST}")
    assert public.pop("PUBLIC_HOST") == HOST
    for k, v in public.items():
        setattr(settings, k, v)
    page, token, r = https_login(Client(enforce_csrf_checks=True))
    assert r.status_code == 302, r.content.decode()[:300]
    assert token["secure"] and r.cookies["sessionid"]["secure"] and r.cookies["sessionid"]["httponly"]
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")
    # the same POST from a foreign origin is still refused
    c = Client(enforce_csrf_checks=True)
    c.get("/login/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    r = c.post("/login/", {"username": "city", "password": PASSWORD,
                           "csrfmiddlewaretoken": c.cookies["csrftoken"].value},
               HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", HTTP_ORIGIN="https://evil.example")
    assert r.status_code == 403


def test_public_url_environment_variable():
    """The real settings module, imported with NIANBAO_PUBLIC_URL set (a fresh interpreter)."""
    import json
    import subprocess
    import sys
    code = ("import json; from django.conf import settings as s; import django; django.setup(); "
            "print(json.dumps([s.CSRF_TRUSTED_ORIGINS, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, "
            f"s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, {HOST!r} in s.ALLOWED_HOSTS]))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nianbao.web.settings", "NIANBAO_PUBLIC_URL": f"https://{HOST}/",
           "NIANBAO_HSTS_SECONDS": "600", "NIANBAO_DATA": str(settings.DATA_DIR)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [[f"https://{HOST}"], ["HTTP_X_FORWARDED_PROTO", "https"], True, True, 600, True]
    env["NIANBAO_PUBLIC_URL"] = "nianbao.example.gov.cn"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "NIANBAO_PUBLIC_URL 应形如" in out.stderr and "Traceback" not in out.stderr


# ----------------------------------------------------------------------------------------- sizes
def test_oversized_upload_gets_the_apps_chinese_page_from_a_real_server(tmp_path):
    """`nianbao serve` (waitress) with a 1 MB limit: a 2.5 MB upload — over the app's limit, under
    waitress's own — is answered by the app in Chinese, as a page and as JSON."""
    from .e2e_site import HttpClient, Site
    with Site(tmp_path / "site", env={"NIANBAO_MAX_UPLOAD_MB": "1"}) as site:
        c = HttpClient(site.url)
        body = b"x" * (5 * 1024 * 1024 // 2)
        headers = {"Content-Type": "multipart/form-data; boundary=zz"}
        status, h, page = c.request("POST", "/uploads/", body, {**headers, "Accept": "text/html"})
        text = page.decode("utf-8", "replace")
        assert status == 413 and h["Content-Type"].startswith("text/html"), text[:300]
        assert "文件过大" in text and "单次上限 1 MB" in text
        status, _, page = c.request("POST", "/uploads/?format=json", body, headers)
        assert status == 413 and json.loads(page)["error"]["code"] == "too-large"
        status, _, page = c.request("GET", "/login/")
        assert status == 200                                             # the server goes on


def test_upload_page_states_and_checks_the_limit(clients, tree, settings):
    settings.MAX_UPLOAD_BYTES = 3 * 1024 * 1024
    html = clients["city"].get("/uploads/").content.decode()
    assert 'data-max-bytes="3145728"' in html and "单次上传不超过 3 MB" in html
    assert 'id="upload-too-large"' in html


def test_report_filed_elsewhere_names_only_its_printed_body(clients, tree):
    """Seed 003 prints 「平湖街道办事处」; the unit it belongs to is in 其他县, outside the city reviewer's
    scope, stored there under its short name 「平湖街道」. The refusal repeats the printed name only: neither
    the other scope's stored name nor its parent leaks (a60d92b)."""
    ph = tree["ph"]
    ph.name = "平湖街道"
    ph.save()
    for who, unit in (("city", None), ("city", tree["city"]), ("author_qnl", None)):
        extra = {"unit": unit.pk} if unit is not None else {}
        r = clients[who].post("/uploads/", {"files": [SimpleUploadedFile("003.txt", SEED_003.read_bytes())], **extra},
                              HTTP_ACCEPT="application/json")
        url = r.json()["url"]
        jobs.run_pending()
        f = clients[who].get(url + "?format=json").json()["files"][0]
        assert f["status"] == "failed" and "“平湖街道办事处”" in f["error"] and "不属于" in f["error"], f
        pages = [str(f), clients[who].get(url).content.decode(), clients[who].get("/uploads/failed/").content.decode(),
                 str(clients[who].get("/uploads/failed/?format=json").json())]
        for body in pages:
            assert "“平湖街道”" not in body and "其他县" not in body, (who, body[:400])
    assert Report.objects.count() == 0


def test_proxy_without_forwarded_header_is_warned_once(users, settings, caplog):
    """Behind a proxy that does not send X-Forwarded-For every user shares the proxy's address, and so one
    per-address login lock: with NIANBAO_PUBLIC_URL set, the log says so once (and once for a forwarding
    proxy that is not trusted); without NIANBAO_PUBLIC_URL, or with the header, nothing is said."""
    from nianbao.web import throttle
    throttle._warned.clear()
    settings.PUBLIC_URL = ""
    with caplog.at_level("WARNING", logger="nianbao.web"):
        Client(REMOTE_ADDR="127.0.0.1").get("/login/")
    assert not [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    settings.PUBLIC_URL = "https://nianbao.example.gov.cn"
    with caplog.at_level("WARNING", logger="nianbao.web"):
        Client(REMOTE_ADDR="127.0.0.1").get("/login/", HTTP_X_FORWARDED_FOR="10.0.0.5")     # a good proxy
        for _ in range(3):
            Client(REMOTE_ADDR="127.0.0.1").get("/login/")                                   # header missing
        for _ in range(2):
            Client(REMOTE_ADDR="10.9.9.9").get("/login/", HTTP_X_FORWARDED_FOR="10.0.0.5")   # untrusted proxy
    warned = [r.getMessage() for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    assert len(warned) == 2, warned
    assert "没有 X-Forwarded-For" in warned[0] and "127.0.0.1" in warned[0]
    assert "NIANBAO_TRUSTED_PROXIES" in warned[1] and "10.9.9.9" in warned[1]
    throttle._warned.clear()
