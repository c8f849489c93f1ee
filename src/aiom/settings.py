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


def _env[T: (bool, int, float)](name: str, default: T) -> T:
    """The one parse of a yes/no or number variable: unset or blank is `default`; a bool is
    on for 1/true/yes/on (any case); a number that does not parse stops start-up, naming
    the variable. Strings are read as they are, where they are used below."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if isinstance(default, bool):
        return raw.lower() in {"1", "true", "yes", "on"}
    kind = "a whole number" if isinstance(default, int) else "a number"
    try:
        return type(default)(raw)
    except ValueError:
        raise ValueError(f"{name} must be {kind}, got {raw!r}") from None


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


DEBUG = _env("AIOM_DEBUG", False)
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
    "django_tasks_db",  # background work: the queue is a table, `aiom serve` starts its workers
    "aiom.core",
    "aiom.organisation",
    "aiom.portfolio",
    "aiom.governance",
    "aiom.lifecycle",
    "aiom.notifications",
    "aiom.catalogue",
    "aiom.value",
    "aiom.insights",
    "aiom.maturity",
    "aiom.inventory",
    "aiom.similarity",
    "aiom.literacy",
    "aiom.change",
    "aiom.obligations",
    "aiom.technology",
    "aiom.monitoring",
    "aiom.transparency",
    "aiom.demo",
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
    # bad input answers 4xx: refused text in requests, InvalidInput/constraints from views
    "aiom.core.refusals.BadInputMiddleware",
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
                "aiom.organisation.context_processors.access",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("AIOM_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'aiom.sqlite3'}",
        # Persistent connections on every database (SQLite too): a worker keeps its
        # connection across requests, so its PRAGMAs run once per connection, not per
        # request (about 2.6 ms of the list API); a connection that broke is replaced at the
        # start of the next request (health check) instead of failing it.
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
        # failing with "database is locked" when a reader upgrades.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # A 64 MB page cache and memory-mapped reads: the portfolio figures scan the
        # facts table (8 MB at 100,000 use cases) without a read() call per page.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
    }
    # A file, not shared-cache memory: concurrency tests need real locks that wait.
    # One per process, so parallel runs never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"aiom-test-{os.getpid()}.sqlite3")
    }

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short interactive queries: PostgreSQL's JIT compiled one dashboard query for 425 ms
    # at 100,000 use cases (issue 15), more than the query itself. A URL's own `options`
    # are kept, and may turn it back on.
    _pg = DATABASES["default"].setdefault("OPTIONS", {})
    _pg["options"] = f"-c jit=off {_pg.get('options', '')}".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# What a user may see and do: the organisation answers, core asks (aiom.core.viewers).
ACCESS_FOR = "aiom.organisation.access.access_for"

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

# --- security: headers, cookies, TLS, uploads (aiom.core) -------------------------------
# AIOM_TLS=1              served over HTTPS: secure cookies, HSTS (1 year, subdomains) and a
#                         redirect from http to https
# AIOM_SECURE_COOKIES=1   secure cookies and HSTS without the redirect (a proxy redirects)
# AIOM_PROXY_SSL_HEADER   the header a trusted proxy sets to "https" when it ended TLS,
#                         e.g. X-Forwarded-Proto; only set it behind such a proxy
# AIOM_HSTS_PRELOAD=1     adds "preload" to HSTS (a commitment: only for a preload submission)
AIOM_TLS = _env("AIOM_TLS", False)
_secure_transport = not DEBUG and (AIOM_TLS or _env("AIOM_SECURE_COOKIES", False))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _secure_transport
CSRF_COOKIE_SECURE = _secure_transport
SECURE_SSL_REDIRECT = not DEBUG and AIOM_TLS
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes call the process over http
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if _secure_transport else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure_transport
SECURE_HSTS_PRELOAD = _secure_transport and _env("AIOM_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading is an opt-in commitment for the whole domain, not a default (AIOM_HSTS_PRELOAD).
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
_proxy_header = os.environ.get("AIOM_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")

# Uploads: bodies past these limits are refused (400) before a view runs; files above
# FILE_UPLOAD_MAX_MEMORY_SIZE stream to a private temp file. Nothing uploaded is ever put
# under STATIC_ROOT or served: views read it and keep it in the database or a private folder.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # non-file request bodies (forms, API JSON)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
MEDIA_ROOT = VAR_DIR / "media"  # private; no MEDIA_URL route serves it
# Obligation evidence files (aiom.obligations.uploads) live in VAR_DIR/evidence, at most:
AIOM_EVIDENCE_MAX_BYTES = _env("AIOM_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# Inventory imports (aiom.inventory.readers): the most bytes a file may hold once unpacked
# (an XLSX workbook's parts, or a CSV/JSON file), and the most cells (rows x columns).
AIOM_IMPORT_MAX_UNPACKED_BYTES = _env("AIOM_IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
AIOM_IMPORT_MAX_CELLS = _env("AIOM_IMPORT_MAX_CELLS", 10_000_000)
# A CSV file a page imports in one request (a use case's measurements, training records:
# aiom.value.imports, aiom.literacy.imports; read by aiom.core.tabular), at most:
AIOM_TABLE_UPLOAD_MAX_BYTES = _env("AIOM_TABLE_UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
# The web import (aiom.inventory.jobs): a confirmed file of more rows or bytes than these runs
# as a background job: a task on the queue "imports" run by a task worker (`task`), a
# process of its own (`process`), or one `aiom import_jobs work` claims (`worker`); a job
# whose heartbeat is older than STALE_SECONDS reads as interrupted.
AIOM_IMPORT_INLINE_MAX_ROWS = _env("AIOM_IMPORT_INLINE_MAX_ROWS", 2000)
AIOM_IMPORT_INLINE_MAX_BYTES = _env("AIOM_IMPORT_INLINE_MAX_BYTES", 2 * 1024 * 1024)
AIOM_IMPORT_JOB_RUNNER = os.environ.get("AIOM_IMPORT_JOB_RUNNER") or "task"
AIOM_IMPORT_JOB_STALE_SECONDS = _env("AIOM_IMPORT_JOB_STALE_SECONDS", 120)

# Sign-in throttling (aiom.core.throttle): failures counted in the database, per account
# (a lockout) and per client address (growing delays), within the lockout window.
AIOM_LOGIN_MAX_FAILURES = max(1, _env("AIOM_LOGIN_MAX_FAILURES", 5))
AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS = max(
    1, _env("AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS", 4 * AIOM_LOGIN_MAX_FAILURES)
)
AIOM_LOGIN_LOCKOUT_MINUTES = max(1, _env("AIOM_LOGIN_LOCKOUT_MINUTES", 15))
# An address is slowed down, never locked out: past its limit each attempt waits this many
# seconds after its latest failure, doubling per further failure, at most the maximum.
AIOM_LOGIN_ADDRESS_DELAY_SECONDS = max(1, _env("AIOM_LOGIN_ADDRESS_DELAY_SECONDS", 1))
AIOM_LOGIN_ADDRESS_MAX_DELAY_SECONDS = max(
    AIOM_LOGIN_ADDRESS_DELAY_SECONDS,
    _env("AIOM_LOGIN_ADDRESS_MAX_DELAY_SECONDS", 60 * AIOM_LOGIN_LOCKOUT_MINUTES),
)
# Behind N reverse proxies that each append to X-Forwarded-For, AIOM_TRUSTED_PROXIES=N makes
# the throttle count the client's address instead of the proxy's (default 0: REMOTE_ADDR).
AIOM_TRUSTED_PROXIES = max(0, _env("AIOM_TRUSTED_PROXIES", 0))

# Sign-in through OpenID Connect (mozilla-django-oidc, aiom.core.oidc): on when the issuer,
# client id and client secret are all set. The provider's endpoints are read from the
# environment; any left empty come from the issuer's /.well-known/openid-configuration,
# fetched on the first OIDC sign-in (never while settings load):
# AIOM_OIDC_ISSUER, AIOM_OIDC_CLIENT_ID, AIOM_OIDC_CLIENT_SECRET
# AIOM_OIDC_AUTHORIZATION_ENDPOINT, AIOM_OIDC_TOKEN_ENDPOINT, AIOM_OIDC_USERINFO_ENDPOINT,
# AIOM_OIDC_JWKS_ENDPOINT   (from the provider's /.well-known/openid-configuration)
# AIOM_OIDC_PROVIDER_NAME   the button says "Sign in with <name>" (default: single sign-on)
# AIOM_OIDC_CREATE_USERS=1  an unknown (verified) email gets a new person with no roles;
#                           otherwise only people whose email aiom already knows sign in
# AIOM_OIDC_SIGN_ALGO       the id_token's algorithm (default RS256)
AIOM_OIDC_ISSUER = os.environ.get("AIOM_OIDC_ISSUER", "").strip()
OIDC_RP_CLIENT_ID = os.environ.get("AIOM_OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("AIOM_OIDC_CLIENT_SECRET", "").strip()
AIOM_OIDC_ENABLED = bool(AIOM_OIDC_ISSUER and OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET)
AIOM_OIDC_PROVIDER_NAME = os.environ.get("AIOM_OIDC_PROVIDER_NAME", "").strip() or "single sign-on"
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("AIOM_OIDC_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("AIOM_OIDC_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("AIOM_OIDC_USERINFO_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("AIOM_OIDC_JWKS_ENDPOINT", "").strip()
OIDC_RP_SIGN_ALGO = os.environ.get("AIOM_OIDC_SIGN_ALGO", "").strip() or "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = _env("AIOM_OIDC_CREATE_USERS", False)
OIDC_TIMEOUT = 10
OIDC_PERSON_FROM_CLAIMS = "aiom.organisation.sign_in.person_from_claims"  # a new person
LOGIN_REDIRECT_URL_FAILURE = "/login/?sso=failed"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
if AIOM_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("aiom.core.oidc.OidcBackend")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}

# Background work (index builds, clustering, large imports, the sweep) runs in task worker
# processes, never in a web worker: Django's tasks framework with the database as the
# queue, so it needs no other server and scales out to other machines on PostgreSQL.
# `aiom serve` starts AIOM_TASK_WORKERS worker processes (`aiom tasks work`) and stops
# them with the web server. AIOM_TASKS_BACKEND=immediate runs each task in the process
# that enqueues it (tests; a one-off command).
TASK_QUEUES = ["default", "similarity", "imports", "sweep"]
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("AIOM_TASKS_BACKEND") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": TASK_QUEUES,
    }
}
AIOM_TASK_WORKERS = _env("AIOM_TASK_WORKERS", 1)
# Tasks that may simply run again when a stop or a dead worker interrupted them (requeued);
# any other interrupted task is marked failed (aiom.core.task_reclaim). Add your own with
# AIOM_TASKS_REQUEUE (comma-separated task paths).
AIOM_TASKS_REQUEUE = [
    "aiom.similarity.tasks.rebuild_index",
    "aiom.notifications.tasks.sweep",
    *[p for p in os.environ.get("AIOM_TASKS_REQUEUE", "").split(",") if p],
]
# What `aiom serve` calls at start (with the database queue), before its processes start.
AIOM_SERVE_AT_START = ["aiom.similarity.tasks.ensure_fresh"]
# A task worker larger than this after a task exits and `aiom serve` starts a fresh one.
AIOM_TASK_WORKER_MAX_MB = _env("AIOM_TASK_WORKER_MAX_MB", 1024.0)
# Task workers run at this niceness (0: as the web workers): background work takes the CPU
# the web workers leave.
AIOM_TASK_WORKER_NICE = _env("AIOM_TASK_WORKER_NICE", 10)
# The similarity index is rebuilt at most this often, and never more often than ten times
# its last build took: a busy portfolio does not keep a worker rebuilding (negative: no
# spacing at all, for tests).
AIOM_SIMILARITY_REBUILD_SECONDS = _env("AIOM_SIMILARITY_REBUILD_SECONDS", 60.0)
# Periodic tasks: path -> seconds between runs; one run queued at a time (task_schedule).
AIOM_SWEEP_MINUTES = _env("AIOM_SWEEP_MINUTES", 60.0)
AIOM_PERIODIC_TASKS = {"aiom.notifications.tasks.sweep": int(AIOM_SWEEP_MINUTES * 60)}

AIOM_DEFAULT_CURRENCY = os.environ.get("AIOM_DEFAULT_CURRENCY", "EUR")
# Tests: a read that finds the similarity snapshot stale rebuilds it in that process first
# (aiom.similarity.snapshots.ready); otherwise only the task worker builds it.
AIOM_SIMILARITY_SYNC_REBUILD = _env("AIOM_SIMILARITY_SYNC_REBUILD", False)
# Portfolio-wide similarity work (aiom.similarity.parallel) forks worker processes from
# this many use cases on (smaller for the tests that stop a server mid-rebuild), that many
# of them (0: the CPU count; 1: never fork).
AIOM_SIMILARITY_PARALLEL_MIN = _env("AIOM_SIMILARITY_PARALLEL_MIN", 20_000)
AIOM_SIMILARITY_WORKERS = max(0, _env("AIOM_SIMILARITY_WORKERS", 0))
# Portfolio-wide figures are kept until the next audited write (aiom.core.memo); off: every
# read recomputes them.
AIOM_ANALYTICS_MEMO = _env("AIOM_ANALYTICS_MEMO", True)

# Logs: one JSON object per line (time, level, logger, message, request_id; method, path,
# status and duration_ms for the request log) unless AIOM_LOG_FORMAT=text; text is the
# default with AIOM_DEBUG on.
AIOM_LOG_FORMAT = (os.environ.get("AIOM_LOG_FORMAT") or ("text" if DEBUG else "json")).lower()
if AIOM_LOG_FORMAT not in {"json", "text"}:
    raise ValueError(f"AIOM_LOG_FORMAT must be json or text, got {AIOM_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "aiom.core.logs.JsonFormatter"},
        "text": {
            "()": "aiom.core.logs.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": AIOM_LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("AIOM_LOG_LEVEL", "INFO")},
}
# --- end security -------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# --- notifications: `aiom sweep` email and webhooks (aiom.notifications) -------------------
# AIOM_WEBHOOK_URLS             comma-separated URLs each new notice is POSTed to as JSON
# AIOM_WEBHOOK_SECRET           HMAC-SHA256 key for X-Aiom-Signature; required with URLs
# AIOM_WEBHOOK_TIMEOUT          seconds per request (default 5)
# AIOM_WEBHOOK_RETRIES          immediate retries within one sweep (default 3)
# AIOM_WEBHOOK_BACKOFF_SECONDS  first pause between those retries, doubling (default 0.5)
# AIOM_EMAIL_BACKEND            a Django email backend (default: SMTP when AIOM_EMAIL_HOST
#                               is set, else print to the console: development only)
# AIOM_EMAIL_HOST, AIOM_EMAIL_PORT   the SMTP server, for the SMTP backend (localhost:25)
# AIOM_EMAIL_FROM               the sender (default aiom@localhost)
# AIOM_BASE_URL                 where aiom is served, for links in notices


AIOM_WEBHOOK_URLS = [
    u.strip() for u in os.environ.get("AIOM_WEBHOOK_URLS", "").split(",") if u.strip()
]
AIOM_WEBHOOK_SECRET = os.environ.get("AIOM_WEBHOOK_SECRET", "")
AIOM_WEBHOOK_TIMEOUT = _env("AIOM_WEBHOOK_TIMEOUT", 5.0)
AIOM_WEBHOOK_RETRIES = max(0, _env("AIOM_WEBHOOK_RETRIES", 3))
AIOM_WEBHOOK_BACKOFF_SECONDS = _env("AIOM_WEBHOOK_BACKOFF_SECONDS", 0.5)

# Django 6.1 configures email through MAILERS (EMAIL_BACKEND/EMAIL_HOST are deprecated).
_email_host = os.environ.get("AIOM_EMAIL_HOST", "")
_email_backend = os.environ.get("AIOM_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if _email_host
    else "django.core.mail.backends.console.EmailBackend"
)
_email_options: dict[str, object] = {}
if _email_backend == "django.core.mail.backends.console.EmailBackend":
    _email_options = {"stream": sys.stderr}  # keeps stdout clean, e.g. `aiom sweep --json`
elif _email_backend.endswith(".smtp.EmailBackend"):
    _email_options = {
        "host": _email_host or "localhost",
        "port": _env("AIOM_EMAIL_PORT", 25),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("AIOM_EMAIL_FROM") or "aiom@localhost"
AIOM_BASE_URL = (os.environ.get("AIOM_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
# --- end notifications ---------------------------------------------------------------------

# --- audit chain: keyed hashes and anchors (aiom.core.audit_key, aiom.core.anchors) --------
# AIOM_AUDIT_KEY             the chain's HMAC key (at least 32 characters); default: a random
#                            key generated once into AIOM_AUDIT_KEY_FILE. Back it up apart
#                            from the database (docs/audit-threat-model.md)
# AIOM_AUDIT_KEY_FILE        default <var>/audit.key, mode 0600 (refused if others can read it)
# AIOM_AUDIT_ANCHORS         the append-only anchors file (default <var>/audit-anchors.jsonl)
# AIOM_AUDIT_ANCHOR_WEBHOOK  a URL each anchor is also POSTed to, signed with
#                            AIOM_WEBHOOK_SECRET like the notices' webhooks
# AIOM_AUDIT_ANCHOR_HOURS    `aiom sweep` anchors when the head moved and the last anchor is
#                            this old, less a tenth (at most an hour) (default 24; 0: off)
AIOM_AUDIT_KEY = os.environ.get("AIOM_AUDIT_KEY", "")
AIOM_AUDIT_KEY_FILE = os.environ.get("AIOM_AUDIT_KEY_FILE") or str(VAR_DIR / "audit.key")
AIOM_AUDIT_ANCHORS = os.environ.get("AIOM_AUDIT_ANCHORS") or str(VAR_DIR / "audit-anchors.jsonl")
AIOM_AUDIT_ANCHOR_WEBHOOK = os.environ.get("AIOM_AUDIT_ANCHOR_WEBHOOK", "").strip()
AIOM_AUDIT_ANCHOR_HOURS = max(0.0, _env("AIOM_AUDIT_ANCHOR_HOURS", 24.0))
# --- end audit chain -----------------------------------------------------------------------
