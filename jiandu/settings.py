"""Django settings, entirely from environment variables (see jiandu/env.py and docs/runbooks.md).

JIANDU_ENV selects the profile: `dev` (default; embedded SQLite, debug toolbar-free, insecure key allowed),
`test` (used by the test suite), `production` (every security setting on; a real secret key is required).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from jiandu.env import env_bool, env_choice, env_int, env_list, env_networks, env_str, env_weights
from jiandu.security.keys import master_key_load

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

JIANDU_ENV = env_choice("JIANDU_ENV", "dev", ("dev", "test", "production"))
PRODUCTION = JIANDU_ENV == "production"

# Production names its data folder: installed from the wheel, PROJECT_DIR is site-packages, and the database,
# uploads and audit anchor would live there and go with the next upgrade.
DATA_DIR = Path(env_str("JIANDU_DATA_DIR", None if PRODUCTION else str(PROJECT_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

_DEV_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = env_str("JIANDU_SECRET_KEY", None if PRODUCTION else _DEV_KEY)
if PRODUCTION and (SECRET_KEY == _DEV_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("生产环境必须设置至少50个字符的 JIANDU_SECRET_KEY")

DEBUG = env_bool("JIANDU_DEBUG", JIANDU_ENV == "dev")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("生产环境不允许 JIANDU_DEBUG=true")

ALLOWED_HOSTS = env_list("JIANDU_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产环境必须设置 JIANDU_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "jiandu.accounts",
    "jiandu.security",
    "jiandu.audit",
    "jiandu.jobs",
    "jiandu.sources",
    "jiandu.registry",
    "jiandu.entities",
    "jiandu.alerts",
    "jiandu.portraits",
    "jiandu.reports",
    "jiandu.leads",
    "jiandu.ocds",
    "jiandu.web",
    "jiandu.ops",
    "rest_framework",
    "drf_spectacular",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    # /healthz is answered first, outside sessions, host check and HTTPS redirect (jiandu/ops/middleware.py).
    "jiandu.ops.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jiandu.security.middleware.SessionLifetimeMiddleware",
    "jiandu.security.middleware.SecondFactorMiddleware",
    "jiandu.audit.middleware.AccessLogMiddleware",
    "jiandu.security.middleware.RecusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jiandu.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "jiandu.urls"
WSGI_APPLICATION = "jiandu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiandu.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'jiandu.sqlite3'}"),
        conn_max_age=env_int("JIANDU_DB_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes; the timeout rides out the import's commit.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's model backend behind the account+address lockout (jiandu/security/lockout.py).
AUTHENTICATION_BACKENDS = ["jiandu.security.backends.LockoutModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jiandu.security.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# Lockout per account + address with a cool-off; a much higher per-address brake against spraying.
JIANDU_LOCKOUT_FAILURES = env_int("JIANDU_LOCKOUT_FAILURES", 5, minimum=1)
JIANDU_LOCKOUT_ADDRESS_FAILURES = env_int("JIANDU_LOCKOUT_ADDRESS_FAILURES", 100, minimum=1)
JIANDU_LOCKOUT_COOL_OFF_SECONDS = env_int("JIANDU_LOCKOUT_COOL_OFF_SECONDS", 15 * 60, minimum=1)
# How many reverse proxies append to X-Forwarded-For in front of the app (0: use REMOTE_ADDR only).
JIANDU_TRUSTED_PROXIES = env_int("JIANDU_TRUSTED_PROXIES", 0, minimum=0)
# TOTP second factor for every role above read-only; on by default in production only (docs/security.md).
JIANDU_REQUIRE_TOTP = env_bool("JIANDU_REQUIRE_TOTP", PRODUCTION)
# Recusal: a user without an identity link cannot be checked; in production they are refused the portraits,
# leads and alerts recusal guards until an administrator links them (registry/recusal_guard.py).
JIANDU_RECUSAL_REQUIRE_LINK = env_bool("JIANDU_RECUSAL_REQUIRE_LINK", PRODUCTION)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("JIANDU_STATIC_ROOT", str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = DATA_DIR / "media"

# Sessions: short idle timeout; the browser session ends with the browser.
SESSION_COOKIE_AGE = env_int("JIANDU_SESSION_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Absolute lifetime: a session in steady use still ends this long after sign-in (ASVS 7.3.2).
JIANDU_SESSION_ABSOLUTE_SECONDS = env_int("JIANDU_SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("JIANDU_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("JIANDU_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Uploads: deliveries stream to disk above 5 MB; the importer enforces its own size and row limits.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A running job owned by another host (its process cannot be checked from here) is taken for dead after this
# long without progress; jobs on this host are checked by process identity (docs/import.md, "When a worker dies").
JIANDU_JOB_LEASE_SECONDS = env_int("JIANDU_JOB_LEASE_SECONDS", 6 * 60 * 60, minimum=60)
JIANDU_MAX_UPLOAD_BYTES = env_int("JIANDU_MAX_UPLOAD_BYTES", 200 * 1024 * 1024, minimum=1024)
# Files imported from the server's own disk by `jiandu import` (an operator's act, not an upload).
JIANDU_MAX_IMPORT_BYTES = env_int("JIANDU_MAX_IMPORT_BYTES", 4 * 1024 * 1024 * 1024, minimum=1024)

# Background tasks (imports of large uploads): SQLite queue file in DATA_DIR for the embedded setup,
# Redis when JIANDU_TASK_BROKER=redis://…; JIANDU_TASKS_IMMEDIATE runs tasks inline (tests).
_TASK_BROKER = env_str("JIANDU_TASK_BROKER", "")
HUEY: dict[str, object] = {
    "name": "jiandu",
    "immediate": env_bool("JIANDU_TASKS_IMMEDIATE", False),
    "results": False,
    "consumer": {"workers": env_int("JIANDU_TASK_WORKERS", 1, minimum=1), "worker_type": "thread"},
}
if _TASK_BROKER.startswith(("redis://", "rediss://")):
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _TASK_BROKER})
elif _TASK_BROKER:
    raise ImproperlyConfigured("JIANDU_TASK_BROKER 只支持 redis:// 地址；留空则使用内置 SQLite 队列")
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "tasks.sqlite3")})

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jiandu.sources.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "jiandu 数据报送接口",
    "DESCRIPTION": "合作单位系统通过此接口推送数据报送文件，校验规则与网页上传相同。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# National algorithms by default (SM3/SM4); `intl` switches to SHA-256/AES-GCM.
JIANDU_CRYPTO = env_choice("JIANDU_CRYPTO", "sm", ("sm", "intl"))
# The master data key (base64; 16 or 32 bytes for sm, 32 for intl); a public dev key outside production.
JIANDU_DATA_KEY = master_key_load(
    env_str("JIANDU_DATA_KEY", ""), family=JIANDU_CRYPTO, environment=JIANDU_ENV
)

# Anti-automation: list and search pages per user per minute (0: no limit; off outside production so other
# areas' tests and the demo are not throttled). See jiandu/security/ratelimit.py.
JIANDU_READ_PAGES_PER_MINUTE = env_int("JIANDU_READ_PAGES_PER_MINUTE", 60 if PRODUCTION else 0, minimum=0)
# Intake (jiandu/security/ratelimit.py): files uploaded per user, files pushed per API token, and leads
# registered per user, each per hour (0: no limit; off outside production like the read limit above).
JIANDU_UPLOADS_PER_HOUR = env_int("JIANDU_UPLOADS_PER_HOUR", 60 if PRODUCTION else 0, minimum=0)
JIANDU_API_PUSHES_PER_HOUR = env_int("JIANDU_API_PUSHES_PER_HOUR", 600 if PRODUCTION else 0, minimum=0)
JIANDU_LEADS_PER_HOUR = env_int("JIANDU_LEADS_PER_HOUR", 60 if PRODUCTION else 0, minimum=0)

# Step-up re-authentication before sensitive operations: how long one re-entry of the password (and TOTP
# code) stays valid (jiandu/security/stepup.py).
JIANDU_STEP_UP_MINUTES = env_int("JIANDU_STEP_UP_MINUTES", 5, minimum=1)
# Four-eyes disclosure of a lead's reporter: how long a leader's approval opens the identity to the
# petition-office requester (jiandu/leads/disclosure.py).
JIANDU_REPORTER_DISCLOSURE_MINUTES = env_int("JIANDU_REPORTER_DISCLOSURE_MINUTES", 30, minimum=1)
# A request to see a reporter that no leader decided within this many hours lapses (ask again if still needed).
JIANDU_REPORTER_REQUEST_HOURS = env_int("JIANDU_REPORTER_REQUEST_HOURS", 24, minimum=1)

# API refusals from the access module are logged like page refusals (jiandu/audit/api.py).
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "jiandu.audit.api.exception_handler"

# Access log: the chain head is written to DATA_DIR/audit-anchor.log every N entries (0 disables).
JIANDU_AUDIT_ANCHOR_EVERY = env_int("JIANDU_AUDIT_ANCHOR_EVERY", 100, minimum=0)
JIANDU_AUDIT_ANCHOR_PATH = env_str("JIANDU_AUDIT_ANCHOR_PATH", str(DATA_DIR / "audit-anchor.log"))

# /healthz (jiandu/ops/health.py): who may ask, and when each check fails (docs/runbooks.md, "Health check").
JIANDU_HEALTH_ALLOW = env_networks("JIANDU_HEALTH_ALLOW", "127.0.0.1/32,::1/128")
JIANDU_HEALTH_HEARTBEAT_SECONDS = env_int("JIANDU_HEALTH_HEARTBEAT_SECONDS", 60, minimum=10)
JIANDU_HEALTH_DISK_MIN_FREE_MB = env_int("JIANDU_HEALTH_DISK_MIN_FREE_MB", 1024, minimum=0)
JIANDU_HEALTH_ANCHOR_MAX_HOURS = env_int("JIANDU_HEALTH_ANCHOR_MAX_HOURS", 26, minimum=1)

# Risk scores (rules.md Scoring): weights per severity and the decay half-life in days.
JIANDU_SCORE_WEIGHTS = env_weights("JIANDU_SCORE_WEIGHTS", "红:10,橙:5,黄:2", ("红", "橙", "黄"))
JIANDU_SCORE_HALF_LIFE = env_int("JIANDU_SCORE_HALF_LIFE", 365, minimum=1)

# Petition vocabulary (docs/resolution.md): an administrator's YAML file merged over the packaged one. A bad
# file stops start-up with the file and the entry named, like any other bad setting.
JIANDU_PETITION_VOCABULARY = env_str("JIANDU_PETITION_VOCABULARY", "") or None
if JIANDU_PETITION_VOCABULARY:
    from jiandu.analytics.resolution.vocabulary import VocabularyError, load_vocabulary

    try:
        load_vocabulary(JIANDU_PETITION_VOCABULARY)
    except VocabularyError as exc:
        raise ImproperlyConfigured(f"JIANDU_PETITION_VOCABULARY：{exc}") from exc

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "jiandu.security.logformat.JsonLineFormatter"},
    },
    "filters": {"redact_identifiers": {"()": "jiandu.security.logformat.RedactIdentifiers"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_identifiers"],
            # JSON lines in production: control characters in messages cannot forge log lines (ASVS 16.4.1).
            "formatter": env_choice(
                "JIANDU_LOG_FORMAT", "json" if PRODUCTION else "plain", ("json", "plain")
            ),
        }
    },
    # The consumer adds a handler of its own to "huey" unless one is configured: one line per message, ours.
    "loggers": {"huey": {"handlers": ["console"], "propagate": False}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("JIANDU_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
}
