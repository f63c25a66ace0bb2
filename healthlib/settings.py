"""Settings for healthlib.

Everything that differs between a laptop and production comes from the
environment variables documented in docs/configuration.md. Development
needs none of them: SQLite, the local-memory cache and the console email
backend are the defaults.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.management.utils import get_random_secret_key

from healthlib.lib.mailfrom import default_from_email as _default_from_email
from healthlib.lib.proxy import parse_networks as _parse_networks
from healthlib.lib.storage_url import BadMediaStorageURL as _BadMediaStorageURL
from healthlib.lib.storage_url import storage_from_url as _media_storage_from_url
from healthlib.lib.taskqueue import BadTasksURL as _BadTasksURL
from healthlib.lib.taskqueue import settings_from_url as _tasks_from_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("HEALTHLIB_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _secret_key():
    key = env.str("DJANGO_SECRET_KEY", default="")
    if key:
        return key
    if not DEBUG:
        # One line and no traceback, on purpose: this is what an operator
        # sees when the service refuses to start.
        raise SystemExit("healthlib: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # Development: generate once and keep it, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
# The number readers are told to call in the "When to get urgent help" box.
EMERGENCY_NUMBER = env.str("EMERGENCY_NUMBER", default="911")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    # First, so that its templates (admin/base_site.html) override Django's.
    "healthlib",
    # Django's admin with the dashboard on its index page.
    "healthlib.apps.HealthlibAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
    "taggit",
    "anymail",
    "django_tasks",
    "django_tasks_db",
    # Drag-and-drop ordering of the article form's inlines.
    "adminsortable2",
    "conditions",
    "newsletter",
]

MIDDLEWARE = [
    # Before everything that reads the client's address (see healthlib/lib/proxy.py).
    "healthlib.lib.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before the page cache, so cached pages get the same headers.
    "csp.middleware.CSPMiddleware",
    "healthlib.lib.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # /es/… is Spanish; addresses without a prefix are always English.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Cached readers' pages are answered here (see healthlib/lib/pagecache.py).
    "healthlib.lib.pagecache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords
# for one username from one address, that pair is refused for
# LOGIN_COOLOFF_MINUTES, even with the right password. Per username *and*
# address, so an attacker cannot lock editors out from elsewhere, and one
# office behind a proxy does not lock out its colleagues. Failures are
# kept in the database (shared by every worker); a successful login clears
# the pair's count. Unlock early: `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "healthlib.lib.auth.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/locked_out.html"
# The address healthlib.lib.proxy settled on (TRUSTED_PROXIES), not a header.
AXES_CLIENT_IP_CALLABLE = "healthlib.lib.ratelimit.client_ip"
AXES_VERBOSE = False
# Where a sign-in lands when its ?next= is refused (another site, or none
# given): the admin, the only place anyone signs in to (Django's default,
# /accounts/profile/, does not exist here).
LOGIN_REDIRECT_URL = "admin:index"
# Each failure is also kept (with its address and browser) for the admin's
# audit; at most 1,000 per username.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Content-Security-Policy (django-csp). Every script, style, image and
# font comes from this site's own files: no inline script, no style
# attribute, nothing from elsewhere. (The JSON-LD on article pages is a
# data block, which CSP does not govern.) The email preview in the admin
# and uploaded media send stricter policies of their own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Powerful browser features no page here uses (healthlib.lib.headers).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Reverse proxies whose X-Forwarded-For is believed: addresses or networks,
# comma separated ("127.0.0.1", "10.0.0.0/8"). Empty: the header is ignored
# and REMOTE_ADDR is the client (see healthlib/lib/proxy.py).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
try:
    _parse_networks(TRUSTED_PROXIES)
except ValueError as _exc:
    raise SystemExit(f"healthlib: TRUSTED_PROXIES: {_exc}") from None
# Networks the link checker may reach although they are not public ones
# (conditions.review.linkcheck refuses loopback, private, link-local… addresses):
# an intranet whose pages articles cite. Empty: public addresses only.
LINKCHECK_ALLOWED_NETWORKS = env.list("LINKCHECK_ALLOWED_NETWORKS", default=[])
try:
    _parse_networks(LINKCHECK_ALLOWED_NETWORKS)
except ValueError as _exc:
    raise SystemExit(f"healthlib: LINKCHECK_ALLOWED_NETWORKS: {_exc}") from None
# System checks (`manage.py check`) to keep quiet, comma separated: `make
# serve` passes newsletter.W001 (no ANYMAIL_WEBHOOK_SECRET), a warning that
# should not stop the site from starting; it says so itself.
SILENCED_SYSTEM_CHECKS = env.list("DJANGO_SILENCED_CHECKS", default=[])

ROOT_URLCONF = "healthlib.urls"
# `[text](article:slug)` in any Markdown body links to this page (the
# library helpers name no app; the project says which page it is).
MARKDOWN_ARTICLE_URL = "conditions:detail"

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
                "healthlib.lib.context_processors.site",
            ],
        },
    },
]
# The project's parts of the library's pages: at each place the conditions
# app's templates leave open ({% page_parts "place" %}, see
# conditions/templatetags/page_parts.py), the templates rendered there, in
# order. The newsletter joins the library's pages here; the conditions app
# names no other app.
CONDITIONS_PAGE_PARTS = {
    "after_article": ["healthlib/article_newsletter.html"],
    "home_extra": ["healthlib/home_newsletter.html"],
}

WSGI_APPLICATION = "healthlib.wsgi.application"

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while an editor saves; the timeout turns a
    # brief write lock into a wait instead of "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", 60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://healthlib")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "healthlib.lib.cache.RedisCache"
# Whether the default cache is seen by every worker process (Redis) or is
# private to one (local memory).
PAGE_CACHE_SHARED = not CACHES["default"]["BACKEND"].endswith("LocMemCache")
# The page cache's tag versions must be seen by every worker process. Local
# memory is private to one process, so with it they live on disk under var/
# (one host) in diskcache's SQLite store, which every process of the host
# shares safely; a shared cache such as Redis holds them itself. (Django's
# FileBasedCache, used before, lists its whole folder on every write: a
# publish cost 30 ms on an empty library and grew with its size.) Readers
# never wait on a writer (SQLite's write-ahead log), and a writer waits up
# to DATABASE_TIMEOUT for another rather than dropping a bump.
if not PAGE_CACHE_SHARED:
    CACHES["pagecache_tags"] = {
        "BACKEND": "diskcache.DjangoCache",
        "LOCATION": str(VAR_DIR / "cache" / "pagecache-tags"),
        "TIMEOUT": None,
        "SHARDS": 1,
        "DATABASE_TIMEOUT": 5.0,
    }
else:
    CACHES["pagecache_tags"] = CACHES["default"]
# Rendered pages are also kept in each process's memory: a hit then costs one
# look-up of the page's tag versions, not a transfer of the whole page.
CACHES["pagecache_local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "healthlib-pages",
    "OPTIONS": {"MAX_ENTRIES": env.int("PAGE_CACHE_LOCAL_ENTRIES", default=2000)},
}

# Background work (django-tasks): the database queue by default, worked by
# `manage.py worker` (or django-tasks-db's `db_worker`); RQ on Redis with
# TASKS_URL=redis://host:port/N for workers on several machines.
TASKS_URL = env.str("TASKS_URL", default="")
try:
    TASKS, _rq_queues = _tasks_from_url(TASKS_URL)
except _BadTasksURL as _exc:
    raise SystemExit(f"healthlib: TASKS_URL: {_exc}") from None
if _rq_queues:
    RQ_QUEUES = _rq_queues
    INSTALLED_APPS.append("django_rq")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Unset: healthlib@ the host of SITE_URL, never @localhost in production
# (healthlib.lib.mailfrom; a system check warns otherwise).
DEFAULT_FROM_EMAIL = _default_from_email(
    env.str("DEFAULT_FROM_EMAIL", default=""), site_url=SITE_URL
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Providers' bounce and complaint webhooks (django-anymail) authenticate
# with this "user:password", part of the webhook URL you give the provider.
ANYMAIL = {"WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default="") or None}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English is the source language; every article may have a translation per
# other language here. A third language is one line here, its .po files and
# its search configuration (conditions.search.languages).
# The readers' interface is translated in each app's locale/ folder (the .po
# files are committed, the .mo compiled by the set-up: `make`,
# `manage.py compile_translations`); the admin stays in English.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
# Dates and numbers come from each language's formats; English's date is
# spelt out in full ("November 24, 2026"), as the library always wrote it.
FORMAT_MODULE_PATH = ["healthlib.formats"]
# How search reads each language (conditions.search.languages): PostgreSQL's
# text search configuration, and the Snowball stemmer (snowballstemmer's
# name) that stems the SQLite index. English needs none there: SQLite FTS5's
# porter tokenizer stems it. Accents are folded in Python for every language
# with a stemmer, on both databases. "stop_words": the language's commonest
# words (accents folded), ignored outside quoted phrases as PostgreSQL's
# configurations ignore theirs (English's: conditions.search.languages.STOP_WORDS).
SEARCH_LANGUAGES = {
    "en": {"postgresql": "english", "stemmer": None},
    "es": {
        "postgresql": "spanish",
        "stemmer": "spanish",
        "stop_words": "a al algo con como cual cuando de del donde e el ella ellas ellos en entre "
        "era es esa ese eso esta este esto estos fue ha han hay la las le les lo los mas me mi "
        "muy ni no nos o para pero por que se si sin sobre son su sus te tu un una unas uno "
        "unos y ya",
    },
}
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "healthlib.lib.storage.AtomicFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Figures and their renditions on S3-compatible object storage, shared by
# every app server (healthlib.lib.storage_url); empty: MEDIA_ROOT on disk.
MEDIA_STORAGE_URL = env.str("MEDIA_STORAGE_URL", default="")
try:
    _media_storage = _media_storage_from_url(MEDIA_STORAGE_URL)
except _BadMediaStorageURL as _exc:
    raise SystemExit(f"healthlib: MEDIA_STORAGE_URL: {_exc}") from None
if _media_storage:
    STORAGES["default"] = _media_storage
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # the Django 6.0 default

# Uploads: checked again in the figure form; these keep a hostile request
# from filling memory before the form sees it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The article form of a long article (40 sections, 30 references with 17
# fields each, figures, drug groups) sends about 1,000 fields, Django's
# default limit; its size stays bounded by DATA_UPLOAD_MAX_MEMORY_SIZE.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FIGURE_MAX_BYTES = 20 * 1024 * 1024
FIGURE_MAX_PIXELS = 40_000_000
FIGURE_RENDITION_WIDTHS = (320, 640, 960, 1280)

# PDF handouts one client address may have built per hour (those already
# built are served without counting; conditions.views.condition_handout).
HANDOUT_BUILDS_PER_HOUR = env.int("HANDOUT_BUILDS_PER_HOUR", default=30)
# Newsletter sign-ups per client address per hour (healthlib.lib.ratelimit).
NEWSLETTER_SIGNUPS_PER_HOUR = env.int("NEWSLETTER_SIGNUPS_PER_HOUR", default=5)
# The sender's postal address in every newsletter email (CAN-SPAM);
# `check --deploy` warns when it is empty (newsletter.W002). The PDF
# handouts print it too, under CONTENT_PUBLISHER: the same organization.
NEWSLETTER_POSTAL_ADDRESS = env.str("NEWSLETTER_POSTAL_ADDRESS", default="")
# Temporary refusals in a row that suppress an address (newsletter.webhooks).
NEWSLETTER_SOFT_BOUNCE_LIMIT = env.int("NEWSLETTER_SOFT_BOUNCE_LIMIT", default=3)

# Editorial rules.
REVIEW_INTERVAL_DAYS = env.int("REVIEW_INTERVAL_DAYS", default=3 * 365)
# The school grade editors are warned above (conditions.review.readability); the
# NIH asks for patient material at or below 8th grade.
READING_GRADE_TARGET = env.float("READING_GRADE_TARGET", default=8)
TAGGIT_CASE_INSENSITIVE = True

# Production hardening; `manage.py check --deploy` is clean with DEBUG off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other sites are not told which page a reader came from: an article's
# address says which condition they read about, a search what they typed.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # WeasyPrint warns, on every handout it lays out, about each rule of the
    # site's stylesheet it does not read (screen sizes); its errors (an
    # image it could not load) still show.
    "loggers": {"weasyprint": {"level": "ERROR"}},
}

# Serve uploaded figures from Django itself (single-host set-ups, tests).
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=True)

# Outside specialists' sign-off links (conditions.services.signoffs): how
# long a link works, and, per client address and hour, how many requests
# the links answer and how many refused ones (forged, expired, withdrawn)
# before every link refuses that address, as LOGIN_FAILURE_LIMIT does sign-ins.
SIGNOFF_LINK_DAYS = env.int("SIGNOFF_LINK_DAYS", default=14)
SIGNOFF_REQUESTS_PER_HOUR = env.int("SIGNOFF_REQUESTS_PER_HOUR", default=120)
SIGNOFF_FAILURES_PER_HOUR = env.int("SIGNOFF_FAILURES_PER_HOUR", default=10)

# The caching proxy in front (Varnish with the xkey vmod, healthlib/deploy/healthlib.vcl):
# every live change purges the pages it touches there, by their tags
# (conditions.publishing.edge). Empty: nothing is sent. The secret goes in
# the X-Purge-Secret header, which the VCL checks.
EDGE_CACHE_URL = env.str("EDGE_CACHE_URL", default="").rstrip("/")
EDGE_CACHE_PURGE_SECRET = env.str("EDGE_CACHE_PURGE_SECRET", default="")
EDGE_CACHE_TIMEOUT = env.float("EDGE_CACHE_TIMEOUT", default=2.0)

# Partners (conditions.partners): the API's requests per hour per client
# address without a key, and per partner with one (a partner may have its
# own); webhooks' delivery attempts and the failed deliveries in a row that
# switch a webhook off; HTTPS-only webhook addresses.
API_ANONYMOUS_REQUESTS_PER_HOUR = env.int("API_ANONYMOUS_REQUESTS_PER_HOUR", default=1000)
API_PARTNER_REQUESTS_PER_HOUR = env.int("API_PARTNER_REQUESTS_PER_HOUR", default=20000)
PARTNER_WEBHOOK_ATTEMPTS = env.int("PARTNER_WEBHOOK_ATTEMPTS", default=6)
PARTNER_WEBHOOK_DISABLE_AFTER = env.int("PARTNER_WEBHOOK_DISABLE_AFTER", default=5)
PARTNER_WEBHOOK_HTTPS_ONLY = True

# CDS Hooks (conditions.clinical, /cds-services): reading a client's FHIR
# server when it prefetched less (HTTPS only; the link checker's address
# rules; seconds before giving up; the largest answer read), and the CDS
# clients whose signed JWT is required: issuer=JWKS URL pairs, comma
# separated ("https://ehr.example.org=https://ehr.example.org/jwks.json").
# Empty: any client may call, a JWT is not checked.
CDS_HOOKS_FHIR_HTTPS_ONLY = True
CDS_HOOKS_FHIR_TIMEOUT = env.float("CDS_HOOKS_FHIR_TIMEOUT", default=5.0)
CDS_HOOKS_FHIR_MAX_BYTES = env.int("CDS_HOOKS_FHIR_MAX_BYTES", default=2_000_000)
CDS_HOOKS_TRUSTED_ISSUERS = env.dict("CDS_HOOKS_TRUSTED_ISSUERS", default={})

# Attribution in every API answer about an article (conditions.api.parts):
# who publishes the library and the licence partners reuse it under.
CONTENT_PUBLISHER = env.str("CONTENT_PUBLISHER", default="healthlib")
CONTENT_LICENCE_NAME = env.str("CONTENT_LICENCE_NAME", default="CC BY-NC-ND 4.0")
CONTENT_LICENCE_URL = env.str(
    "CONTENT_LICENCE_URL", default="https://creativecommons.org/licenses/by-nc-nd/4.0/"
)
CONTENT_LICENCE_TEXT = env.str(
    "CONTENT_LICENCE_TEXT",
    default="Reuse it unchanged, not for profit, naming the publisher and linking back to the "
    "article.",
)

# The pages that may frame the embed (/embed/conditions/<slug>/, the only
# frameable page; everything else is X-Frame-Options DENY and
# frame-ancestors 'none'): Content-Security-Policy frame-ancestors sources,
# comma separated. "*" (the default): any site; or partners' origins only,
# "https://clinic.example,https://*.partner.example".
EMBED_FRAME_ANCESTORS = [s.strip() for s in env.list("EMBED_FRAME_ANCESTORS", default=["*"])]
EMBED_FRAME_ANCESTORS = [s for s in EMBED_FRAME_ANCESTORS if s]
if any(
    s not in ("'self'", "'none'") and set(s) & set(";, \t\r\n'\"") for s in EMBED_FRAME_ANCESTORS
):
    raise SystemExit(
        "healthlib: EMBED_FRAME_ANCESTORS: sources such as * or https://partner.example, "
        "comma separated, without spaces, quotes (but 'self') or semicolons."
    )
