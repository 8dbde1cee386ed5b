"""Canal settings: every value comes from an environment variable with a safe default (README)."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from canal.config.env import env_bool, env_int, env_list, env_str, secret_key

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CANAL_VAR_DIR", str(Path.cwd() / "var")))

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs' scripts from our own origin (no CDN, no inline script)
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "canal.core",
    "canal.accounts",
    "canal.partners",
    "canal.catalog",
    "canal.subscriptions",
    "canal.billing",
    "canal.orders",
    "canal.support",
    "canal.licensing",
    "canal.notifications",
    "canal.api",
    "canal.portal",
    # Last, so that our registration/ templates win over the admin's.
    "django.contrib.admin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "canal.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "canal.accounts.middleware.UserLanguageMiddleware",
    "canal.portal.middleware.CanalErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "canal.config.urls"
WSGI_APPLICATION = "canal.config.wsgi.application"

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
                "canal.portal.context_processors.portal",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'canal.sqlite3'}"))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the web server and the worker write the same file
    # without "database is locked": writers queue on the busy timeout instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)  # reuse connections across requests
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "canal.accounts.backends.ThrottledEmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (canal.accounts.login_throttle, docs/api.md "Login throttling"), per 15 minutes:
# failures of one e-mail from one address before each further try waits longer (1 s, 2 s, 4 s, ...);
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
# failures from one address, on any e-mails, before it waits for the window to end;
LOGIN_ADDRESS_LIMIT = env_int("LOGIN_ADDRESS_LIMIT", 50)
# failures of one e-mail from anywhere before its user is told by e-mail and unfamiliar addresses wait.
LOGIN_ACCOUNT_NOTICE_AT = env_int("LOGIN_ACCOUNT_NOTICE_AT", 10)

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Madrid")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the apps when collectstatic has not run
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Canal <no-reply@canal.test>")

# Shared by every process (rate limits and login throttles count here): Redis when REDIS_URL is set,
# else a table in the database. Never a per-process memory cache, or two workers would double a limit.
CACHES = {
    "default": (
        {"BACKEND": "canal.core.cache.RedisCache", "LOCATION": env_str("REDIS_URL", "")}
        if env_str("REDIS_URL", "")
        else {"BACKEND": "canal.core.cache.DatabaseCache", "LOCATION": "canal_cache"}
    )
}
# Proxies (addresses or networks) whose X-Forwarded-For names the client; nobody else's is believed.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Outgoing webhooks go to public https addresses only; these hosts or networks (e.g. 127.0.0.1) may be
# private anyway, for a receiver in development or tests. See docs/api.md, "Webhooks".
WEBHOOK_ALLOWED_HOSTS = env_list("WEBHOOK_ALLOWED_HOSTS", [])
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False)

# The largest single card payment; more is paid by bank transfer (also the test provider's limit).
BILLING_CARD_MAX_AMOUNT = env_str("BILLING_CARD_MAX_AMOUNT", "50000.00")
# How many parts (queued tasks, billed side by side by the workers) the daily billing run is split into.
BILLING_RUN_PARTS = int(env_str("BILLING_RUN_PARTS", "2"))
# Billing records (VeriFactu, docs/billing.md): the dotted path of the backend that sends them to the tax
# agency (empty: not configured, records wait), and the agency's check address printed as a QR code.
BILLING_RECORDS_BACKEND = env_str("BILLING_RECORDS_BACKEND", "")
BILLING_RECORDS_QR_URL = env_str("BILLING_RECORDS_QR_URL", "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR")

# REST API rate limits per token (or per address when anonymous); see docs/api.md.
API_RATE_AUTHENTICATED = env_str("API_RATE_AUTHENTICATED", "1200/m")
API_RATE_ANONYMOUS = env_str("API_RATE_ANONYMOUS", "60/m")

# License servers (docs/licensing.md): appliance rate limits per server and per address, days without a
# heartbeat before a server shows inactive, and how long a signed license file stays valid offline.
LICENSING_RATE_PER_SERVER = env_str("LICENSING_RATE_PER_SERVER", "60/m")
LICENSING_RATE_PER_ADDRESS = env_str("LICENSING_RATE_PER_ADDRESS", "300/m")
LICENSING_INACTIVE_AFTER_DAYS = env_int("LICENSING_INACTIVE_AFTER_DAYS", 7)
LICENSING_OFFLINE_DAYS = env_int("LICENSING_OFFLINE_DAYS", 30)

# Support e-mail intake (docs/support.md, "Intake"): the SMTP listener `make run` starts (`canal smtp`),
# the IMAP mailbox `canal fetch-mail` reads in production, the largest mail taken, the domain of the
# Message-IDs we send (mail carrying it is our own and never becomes a ticket) and how often an address
# that is no user's gets the polite answer.
SMTP_INTAKE_HOST = env_str("SMTP_INTAKE_HOST", "127.0.0.1")
SMTP_INTAKE_PORT = env_int("SMTP_INTAKE_PORT", 2525)
IMAP_HOST = env_str("IMAP_HOST", "")
IMAP_PORT = env_int("IMAP_PORT", 993)
IMAP_USER = env_str("IMAP_USER", "")
IMAP_PASSWORD = env_str("IMAP_PASSWORD", "")
IMAP_FOLDER = env_str("IMAP_FOLDER", "INBOX")
IMAP_SSL = env_bool("IMAP_SSL", True)
MAIL_INTAKE_MAX_BYTES = env_int("MAIL_INTAKE_MAX_BYTES", 25 * 1024 * 1024)
MAIL_MESSAGE_ID_DOMAIN = env_str("MAIL_MESSAGE_ID_DOMAIN", "canal.test")
MAIL_UNKNOWN_ANSWER_HOURS = env_int("MAIL_UNKNOWN_ANSWER_HOURS", 24)

# Cookies travel only over https when the site is served over https.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", SITE_URL.startswith("https://"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere: pages load code and CSS from our own origin only (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# `canal demo` calls these in order; each app that has demo data adds its loader.
DEMO_LOADERS = [
    "canal.accounts.demo.load",
    "canal.partners.demo.load",
    "canal.catalog.demo.load",
    "canal.subscriptions.demo.load",
    "canal.billing.demo.load",
    "canal.orders.demo.load",
    "canal.licensing.demo.load",
    "canal.support.demo.load",
    "canal.support.intake_demo.load",
]
