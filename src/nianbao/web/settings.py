"""Django settings. Everything a site changes comes from environment variables:

    NIANBAO_DATA          folder for the SQLite database and uploaded files (default ./nianbao-data)
    NIANBAO_DATABASE_URL  postgresql://user:password@host:5432/dbname to use PostgreSQL instead of SQLite
    NIANBAO_SECRET_KEY    the session-signing key (a random one is created and kept in NIANBAO_DATA)
    NIANBAO_ALLOWED_HOSTS comma-separated host names (default: localhost,127.0.0.1,[::1])
    NIANBAO_DEBUG=1       Django debug pages (never on a production server)
    NIANBAO_MAX_UPLOAD_MB upload size limit per request (default 200)
    NIANBAO_PUBLIC_URL    the address users type, e.g. https://nianbao.example.gov.cn — behind an HTTPS
                          reverse proxy this sets the trusted origin, the proxy's https header, Secure
                          cookies and HSTS (public_url_settings)
    NIANBAO_HSTS_SECONDS  HSTS max-age with an https public URL (default 31536000, one year; 0 = off)
    NIANBAO_TRUSTED_PROXIES  addresses of reverse proxies whose X-Forwarded-For names the client
                          (default 127.0.0.1,::1), for the login throttle
"""
from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent
if "NIANBAO_DATA" not in os.environ and "pytest" in sys.modules:      # tests never touch ./nianbao-data
    os.environ["NIANBAO_DATA"] = tempfile.mkdtemp(prefix="nianbao-test-")
DATA_DIR = Path(os.environ.get("NIANBAO_DATA", "nianbao-data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("NIANBAO_SECRET_KEY"):
        return os.environ["NIANBAO_SECRET_KEY"]
    path = DATA_DIR / "secret.key"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(50), encoding="ascii")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    return path.read_text(encoding="ascii").strip()


def _database() -> dict:
    url = os.environ.get("NIANBAO_DATABASE_URL", "").strip()
    if url:
        u = urlparse(url)
        if u.scheme not in ("postgres", "postgresql"):
            raise SystemExit(f"NIANBAO_DATABASE_URL 只支持 postgresql://…（收到 {u.scheme}://）。"
                             " / only postgresql:// URLs are supported.")
        return {"ENGINE": "django.db.backends.postgresql", "NAME": u.path.lstrip("/"),
                "USER": unquote(u.username or ""), "PASSWORD": unquote(u.password or ""),
                "HOST": u.hostname or "", "PORT": str(u.port or ""), "CONN_MAX_AGE": 60}
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "nianbao.sqlite3"),
            # WAL + immediate transactions: concurrent uploads wait for each other instead of failing
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                        "transaction_mode": "IMMEDIATE", "timeout": 30}}


def public_url_settings(url: str, hsts_seconds: int = 31536000) -> dict:
    """The settings for the address users type. Any URL: its origin is a trusted CSRF origin and its host
    an allowed host. An https URL (TLS ends at a reverse proxy that sets X-Forwarded-Proto): requests
    marked https by the proxy are secure, cookies are sent over HTTPS only, and browsers are told to
    keep to HTTPS (HSTS)."""
    u = urlparse(url.strip())
    if u.scheme not in ("http", "https") or not u.hostname:
        raise SystemExit(f"NIANBAO_PUBLIC_URL 应形如 https://nianbao.example.gov.cn（收到 “{url}”）。"
                         " / NIANBAO_PUBLIC_URL must look like https://host[:port].")
    origin = f"{u.scheme}://{u.netloc.rsplit('@', 1)[-1]}"
    out = {"CSRF_TRUSTED_ORIGINS": [origin], "PUBLIC_HOST": u.hostname}
    if u.scheme == "https":
        out.update({"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
                    "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
                    "SECURE_HSTS_SECONDS": hsts_seconds})
    return out


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("NIANBAO_DEBUG") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("NIANBAO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
                 .split(",") if h.strip()]

TRUSTED_PROXIES = [a.strip() for a in os.environ.get("NIANBAO_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
                   if a.strip()]
PUBLIC_URL = os.environ.get("NIANBAO_PUBLIC_URL", "").strip()
if PUBLIC_URL:
    _public = public_url_settings(PUBLIC_URL, int(os.environ.get("NIANBAO_HSTS_SECONDS", "31536000")))
    if (_host := _public.pop("PUBLIC_HOST")) not in ALLOWED_HOSTS:
        ALLOWED_HOSTS.append(_host)
    globals().update(_public)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "nianbao.web",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "nianbao.web.responses.JsonErrorMiddleware",
    "nianbao.web.throttle.ProxyHeaderCheck",
]
ROOT_URLCONF = "nianbao.web.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "nianbao.web.scope.context",
    ]},
}]
WSGI_APPLICATION = "nianbao.web.wsgi.application"
DATABASES = {"default": _database()}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "nianbao_cache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_FAILURE_VIEW = "nianbao.web.responses.csrf_failure"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = str(DATA_DIR / "static")
os.makedirs(STATIC_ROOT, exist_ok=True)
WHITENOISE_USE_FINDERS = True          # serve the app's own static folder without collectstatic
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = str(DATA_DIR / "files")

# Upload limits: one request, one file, and what a zip may expand to.
MAX_UPLOAD_BYTES = int(os.environ.get("NIANBAO_MAX_UPLOAD_MB", "200")) * 1024 * 1024
MAX_FILE_BYTES = 64 * 1024 * 1024          # the readers' own limit (readers.MAX_BYTES)
# A zip is judged from its directory before anything is read: entries, expanded total, and the
# compression ratio over all members together (Word's HTML reaches ~22x; a zip bomb hundreds) and of
# one member. Ratios are only judged above their floors (small files compress as they like).
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_TOTAL_BYTES = 2 * MAX_UPLOAD_BYTES   # uncompressed total of one zip
MAX_ZIP_TOTAL_RATIO = 50                   # all members: expanded / compressed
ZIP_TOTAL_RATIO_FLOOR = 8 * 1024 * 1024
MAX_ZIP_RATIO = 100                        # one member
ZIP_RATIO_FLOOR = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024   # form fields (ledger edits); files are streamed to disk
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
DATA_UPLOAD_MAX_NUMBER_FILES = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_LISTED_FAILURES_PER_UNIT = 100        # /uploads/failed/ lists at most this many per unit, newest first
LOGIN_FAILURES_ALLOWED = 5                 # per (user name, address), in LOGIN_FAILURE_WINDOW seconds
LOGIN_FAILURES_PER_ADDRESS = 20            # per address over all user names
LOGIN_FAILURE_WINDOW = 15 * 60
# The background worker: started by `nianbao serve`; tests call jobs.run_pending() instead.
NIANBAO_WORKER_THREADS = int(os.environ.get("NIANBAO_WORKERS", "1"))

LOGGING = {
    "version": 1, "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"nianbao": {"handlers": ["console"], "level": "INFO"}},
}
