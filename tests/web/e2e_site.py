"""A real `nianbao serve` in a subprocess, for the browser test, the load test and the screenshots.

    site = Site(tmp_dir)                 # a data folder of its own
    site.prepare(TREE)                   # a Python snippet run in a subprocess with Django set up and migrated
    with site:                           # `nianbao serve --port <free> --data <tmp_dir>`, waits for the port
        c = HttpClient(site.url)
        c.login("reviewer", PASSWORD)
        c.upload([("a.txt", data)])

Nothing here imports Django in the calling process: the database is prepared by a subprocess and the
server is another process, so the tests exercise exactly what a site runs (waitress, the background
worker, SQLite in WAL mode). Only the standard library is used (no `requests`).
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "data" / "seeds"
SEED_000 = SEEDS / "000_ca8a2528f0fad91b.txt"
SEED_002 = SEEDS / "002_4db7ac69ce8a2181.txt"
PASSWORD = "Nianbao-2026!"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Run before every preparation snippet: Django set up, migrations applied, the usual names imported.
PRELUDE = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "nianbao.web.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable", verbosity=0)
from django.contrib.auth.models import User
from nianbao.web.models import Profile, Unit
PASSWORD = %r

def unit(name, key, parent=None, level=""):
    return Unit.objects.get_or_create(name=name, key=key, parent=parent, defaults={"level": level})[0]

def user(username, role=None, unit=None, superuser=False):
    if superuser:
        u = User.objects.create_superuser(username, password=PASSWORD)
    else:
        u = User.objects.create_user(username, password=PASSWORD)
    if role:
        Profile.objects.create(user=u, role=role, unit=unit, display_name=username)
    return u
""" % PASSWORD

# The e2e tree: 临清市 with two street offices, and a reviewer of 临清市. Prints the units' ids as JSON.
TREE = """
city = unit("临清市", "临清市", level="县级市")
xfl = unit("临清市先锋路街道办事处", "先锋路街道", city, "街道")
qnl = unit("临清市青年路街道办事处", "青年路街道", city, "街道")
user("reviewer", Profile.REVIEWER, city)
import json
print(json.dumps({"city": city.pk, "xfl": xfl.pk, "qnl": qnl.pk}))
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: Path, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env["NIANBAO_DATA"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "nianbao.web.settings"
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("NIANBAO_DEBUG", None)
    env.pop("NIANBAO_DATABASE_URL", None)          # always the site's own SQLite file
    src = str(ROOT / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra or {})
    return env


class SiteError(RuntimeError):
    pass


class Site:
    """One data folder and at most one server process on 127.0.0.1."""

    def __init__(self, data_dir, *, threads: int = 8, workers: int = 1, env: dict | None = None):
        self.env = env or {}                 # extra environment variables for the server (NIANBAO_…)
        self.data = Path(data_dir)
        self.data.mkdir(parents=True, exist_ok=True)
        self.threads, self.workers = threads, workers
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self.log_path = self.data / "server.log"
        self._log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_path(self) -> Path:
        return self.data / "nianbao.sqlite3"

    def prepare(self, script: str, timeout: float = 300) -> str:
        """Run `script` after PRELUDE in a fresh Python with this data folder; returns its stdout."""
        try:
            p = subprocess.run([sys.executable, "-c", PRELUDE + script], env=_env(self.data, self.env), cwd=self.data,
                               capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise SiteError(f"preparing the database took more than {timeout} s:\n{e.stderr or ''}") from None
        if p.returncode != 0:
            raise SiteError(f"preparing the database failed (exit {p.returncode}):\n{p.stderr[-4000:]}")
        return p.stdout

    def prepare_json(self, script: str, timeout: float = 300):
        """`prepare`, and parse the last line the script printed as JSON."""
        out = self.prepare(script, timeout).strip().splitlines()
        return json.loads(out[-1]) if out else None

    def start(self, timeout: float = 60) -> "Site":
        if self.proc is not None:
            raise SiteError("server already running")
        self.port = free_port()
        self._log = open(self.log_path, "ab")
        cmd = [sys.executable, "-m", "nianbao", "serve", "--host", "127.0.0.1", "--port", str(self.port),
               "--data", str(self.data), "--threads", str(self.threads), "--workers", str(self.workers)]
        self.proc = subprocess.Popen(cmd, env=_env(self.data, self.env), cwd=self.data, stdin=subprocess.DEVNULL,
                                     stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = self.log()
                self._close()
                raise SiteError(f"`nianbao serve` exited with {self.proc.returncode} before listening:\n{log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    pass
                return self
            except OSError:
                time.sleep(0.1)
        log = self.log()
        self.stop()
        raise SiteError(f"`nianbao serve` did not listen on port {self.port} within {timeout} s:\n{log}")

    def stop(self) -> None:
        p, self.proc = self.proc, None
        if p is not None and p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)
        self._close()

    def _close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def log(self, tail: int = 6000) -> str:
        """The server's output so far (stderr and stdout), for failure messages."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return text[-tail:] if len(text) > tail else text

    def __enter__(self) -> "Site":
        return self.start() if self.proc is None else self

    def __exit__(self, *exc) -> None:
        self.stop()


# ------------------------------------------------------------------------------------------ HTTP client
class HttpError(RuntimeError):
    def __init__(self, status: int, body: bytes, url: str):
        super().__init__(f"HTTP {status} from {url}: {body[:500].decode('utf-8', 'replace')}")
        self.status, self.body = status, body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


class HttpClient:
    """A logged-in session with cookies and the CSRF token; every request has a timeout."""

    def __init__(self, base: str, timeout: float = 60):
        self.base, self.timeout = base.rstrip("/"), timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                timeout: float | None = None) -> tuple[int, dict, bytes]:
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout or self.timeout) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:       # 3xx (redirects are not followed), 4xx, 5xx
            with e:
                return e.code, dict(e.headers), e.read()

    def get_json(self, path: str, timeout: float | None = None):
        status, _, body = self.request("GET", path, headers={"Accept": "application/json"}, timeout=timeout)
        if status != 200:
            raise HttpError(status, body, path)
        return json.loads(body)

    def login(self, username: str, password: str = PASSWORD) -> None:
        status, _, body = self.request("GET", "/login/")
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not m:
            raise HttpError(status, body, "/login/")
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": m.group(1).decode(), "username": username,
                                       "password": password}).encode()
        status, headers, body = self.request("POST", "/login/", form, {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
            "X-CSRFToken": self.cookie("csrftoken") or ""})
        if status != 200:
            raise HttpError(status, body, "/login/ (POST)")

    def post_form(self, path: str, fields: dict, files: list[tuple[str, bytes]] = (), file_field: str = "files",
                  timeout: float | None = None) -> tuple[int, dict, bytes]:
        """multipart/form-data POST with the CSRF token, answered as JSON."""
        boundary = uuid.uuid4().hex
        parts = []
        for k, v in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        for name, data in files:
            safe = name.replace('"', "%22").replace("\r", " ").replace("\n", " ")   # what browsers send
            parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
                          f'filename="{safe}"\r\n'
                          f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), {
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json",
            "X-CSRFToken": self.cookie("csrftoken") or ""}, timeout=timeout)

    def upload(self, files: list[tuple[str, bytes]], unit: int | None = None, timeout: float | None = None) -> dict:
        """POST /uploads/ → the Upload's JSON (201)."""
        status, _, body = self.post_form("/uploads/", {"unit": unit} if unit else {}, files, timeout=timeout)
        if status != 201:
            raise HttpError(status, body, "/uploads/ (POST)")
        return json.loads(body)

    def wait_upload(self, url: str, timeout: float = 120, poll: float = 0.2) -> dict:
        """Poll an upload's JSON twin until every file is finished."""
        deadline = time.monotonic() + timeout
        while True:
            d = self.get_json(url + "?format=json")
            if d["counts"]["finished"] >= d["counts"]["total"]:
                return d
            if time.monotonic() > deadline:
                raise TimeoutError(f"upload {url} not finished after {timeout} s: {d['counts']}")
            time.sleep(poll)
