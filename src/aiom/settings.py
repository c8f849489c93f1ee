"""The one settings module: every deployment difference comes from the environment.

AIOM_DATABASE_URL   default sqlite:///<repo>/var/aiom.sqlite3; postgresql://... works
AIOM_SECRET_KEY     default: a random key generated once into var/secret.key
AIOM_DEBUG          "1"/"true" turns debug on; off by default
AIOM_ALLOWED_HOSTS  comma-separated; default 127.0.0.1,localhost
AIOM_VAR_DIR        where the SQLite file, the generated key and collected static files live
"""

import contextlib
import os
import secrets
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _default_var_dir() -> Path:
    # In a source checkout (src layout) keep state in <repo>/var; installed, use the cwd.
    repo = BASE_DIR.parent.parent
    if (repo / "pyproject.toml").exists():
        return repo / "var"
    return Path.cwd() / "var"


VAR_DIR = Path(os.environ.get("AIOM_VAR_DIR") or _default_var_dir())


def _secret_key() -> str:
    key = os.environ.get("AIOM_SECRET_KEY")
    if key:
        return key
    # A stable key per installation, so sessions survive restarts without configuration.
    path = VAR_DIR / "secret.key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


DEBUG = _env_bool("AIOM_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("AIOM_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves Swagger UI's assets locally instead of from a CDN
    "aiom.core",
    "aiom.organisation",
    "aiom.portfolio",
    "aiom.governance",
    "aiom.lifecycle",
    "aiom.notifications",
    "aiom.catalogue",
    "aiom.value",
    "aiom.maturity",
    "aiom.inventory",
    "aiom.similarity",
    "aiom.literacy",
    "aiom.change",
    "aiom.obligations",
    "aiom.technology",
    "aiom.monitoring",
    "aiom.transparency",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aiom.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "aiom.urls"
WSGI_APPLICATION = "aiom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "aiom.core.context_processors.access",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("AIOM_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'aiom.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
        # failing with "database is locked" when a reader upgrades.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not shared-cache memory: concurrency tests need real locks that wait.
    # One per process, so parallel runs never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"aiom-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
with contextlib.suppress(OSError):  # WhiteNoise warns at each start while it is missing
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the package when collectstatic has not run

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}

AIOM_DEFAULT_CURRENCY = os.environ.get("AIOM_DEFAULT_CURRENCY", "EUR")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("AIOM_LOG_LEVEL", "INFO")},
}
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# --- notifications: `aiom sweep` email and webhooks (aiom.notifications) -------------------
# AIOM_WEBHOOK_URLS             comma-separated URLs each new notice is POSTed to as JSON
# AIOM_WEBHOOK_SECRET           HMAC-SHA256 key for X-Aiom-Signature; required with URLs
# AIOM_WEBHOOK_TIMEOUT          seconds per request (default 5)
# AIOM_WEBHOOK_RETRIES          immediate retries within one sweep (default 3)
# AIOM_WEBHOOK_BACKOFF_SECONDS  first pause between those retries, doubling (default 0.5)
# AIOM_EMAIL_BACKEND            a Django email backend (default: print to the console)
# AIOM_EMAIL_HOST, AIOM_EMAIL_PORT   the SMTP server, for the SMTP backend (localhost:25)
# AIOM_EMAIL_FROM               the sender (default aiom@localhost)
# AIOM_BASE_URL                 where aiom is served, for links in notices


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None


AIOM_WEBHOOK_URLS = [
    u.strip() for u in os.environ.get("AIOM_WEBHOOK_URLS", "").split(",") if u.strip()
]
AIOM_WEBHOOK_SECRET = os.environ.get("AIOM_WEBHOOK_SECRET", "")
AIOM_WEBHOOK_TIMEOUT = _env_number("AIOM_WEBHOOK_TIMEOUT", 5.0)
AIOM_WEBHOOK_RETRIES = max(0, int(_env_number("AIOM_WEBHOOK_RETRIES", 3)))
AIOM_WEBHOOK_BACKOFF_SECONDS = _env_number("AIOM_WEBHOOK_BACKOFF_SECONDS", 0.5)

# Django 6.1 configures email through MAILERS (EMAIL_BACKEND/EMAIL_HOST are deprecated).
_email_backend = (
    os.environ.get("AIOM_EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
)
_email_options: dict[str, object] = {}
if _email_backend == "django.core.mail.backends.console.EmailBackend":
    _email_options = {"stream": sys.stderr}  # keeps stdout clean, e.g. `aiom sweep --json`
elif _email_backend.endswith(".smtp.EmailBackend"):
    _email_options = {
        "host": os.environ.get("AIOM_EMAIL_HOST") or "localhost",
        "port": int(_env_number("AIOM_EMAIL_PORT", 25)),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("AIOM_EMAIL_FROM") or "aiom@localhost"
AIOM_BASE_URL = (os.environ.get("AIOM_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
# --- end notifications ---------------------------------------------------------------------
