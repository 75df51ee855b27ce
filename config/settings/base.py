"""Settings shared by every environment. Values come only from the environment (see env.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import (
    env_bool,
    env_choice,
    env_database,
    env_header,
    env_int,
    env_int_map,
    env_list,
    env_redis_url,
    env_str,
    env_timezone,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("FIREBREAK_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-dev-key-change-me-0123456789-firebreak-local")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Public base URL used in links sent outside the web app (e-mail, Slack).
# Default: where `make run` serves (its HOST= and PORT=), so links shown once are not dead.
_LISTEN_HOST = env_str("HOST", "127.0.0.1")
_LINK_HOST = "127.0.0.1" if _LISTEN_HOST in ("0.0.0.0", "::", "[::]") else _LISTEN_HOST  # noqa: S104
FIREBREAK_BASE_URL = env_str(
    "FIREBREAK_BASE_URL",
    f"http://{_LINK_HOST}:{env_int('PORT', 8000, minimum=1, maximum=65535)}",
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "oncall",
    "incidents",
    "postmortems",
    "config.ops",
]

MIDDLEWARE = [
    "config.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oncall.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.RequestInputGuardMiddleware",
    "config.middleware.ApplicationErrorMiddleware",
    "config.ops.heartbeat.SchedulerWatchMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # oncall keeps templates per capability package (oncall/<package>/templates/oncall/...).
        "DIRS": [BASE_DIR / "templates", *sorted(BASE_DIR.glob("oncall/*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oncall.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'firebreak.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions let the web process, the worker and beat share one file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Reusing connections saves a PostgreSQL backend start per request (production defaults to 60 s).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "oncall.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "incidents:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
FIREBREAK_DEFAULT_USER_TIMEZONE = env_timezone("FIREBREAK_DEFAULT_USER_TIMEZONE", "UTC")

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]

# --- cache and throttling: Redis when REDIS_URL is set, process memory otherwise -----------------
REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    # Degrades to "not cached" while Redis is down (config/cache.py); short socket timeouts so a
    # Redis that does not answer costs a request at most a second.
    CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- e-mail ------------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "firebreak@localhost")

# --- REST API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("FIREBREAK_THROTTLE_ANON", "60/min"),
        "user": env_str("FIREBREAK_THROTTLE_USER", "600/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Firebreak API",
    "DESCRIPTION": "Incidents, roles, timeline and stakeholder updates. Metric meanings follow METRICS.md v1.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind"; name each choice set so the schema has stable enum names.
    "ENUM_NAME_OVERRIDES": {
        "IncidentKindEnum": "incidents.models.Kind",
        "TimelineEventKindEnum": "incidents.models.TimelineEvent.EventKind",
        "StakeholderUpdateKindEnum": "incidents.models.StakeholderUpdate.UpdateKind",
        "TimelineNoteKindEnum": ["note"],
        "PostmortemStatusEnum": "postmortems.models.PostmortemStatus",
        "ActionItemStatusEnum": "postmortems.models.ActionItem.ItemStatus",
        "PostmortemRevisionKindEnum": "postmortems.models.PostmortemRevision.RevisionKind",
        "IncidentStatusEnum": "incidents.models.Status",
        "IntegrationKindEnum": "oncall.models.Integration.Kind",
        "AlertStatusEnum": "oncall.models.Alert.Status",
        "AlertUrgencyEnum": "oncall.models.Alert.Urgency",
    },
}

# --- Celery ------------------------------------------------------------------------------------------
# Embedded default: kombu's filesystem transport needs no server, so `make run` works anywhere.
# Reminders and notification retries are rows swept by beat, never countdown or ETA tasks: a lost
# message costs at most one sweep interval, and no message has to wait in the broker for long.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
# kombu's filesystem transport with atomic writes (config/embedded_broker.py says why).
CELERY_BROKER_TRANSPORT = None if REDIS_URL else "config.embedded_broker:Transport"
_broker_dir = VAR_DIR / "celery-broker"
if not REDIS_URL:
    # The embedded broker and database live in files; create their folders on first start.
    for _folder in (VAR_DIR, _broker_dir, VAR_DIR / "celery-processed", VAR_DIR / "celery-control"):
        _folder.mkdir(parents=True, exist_ok=True)
# Hard and soft limits for every task; a task may set shorter ones, none sets longer ones.
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    # Redis gives an unacknowledged message to another worker after this many seconds, so it must
    # outlast the longest task (the hard time limit), or a task still running would run twice.
    {
        "visibility_timeout": env_int(
            "FIREBREAK_CELERY_VISIBILITY_TIMEOUT", 3600, minimum=CELERY_TASK_TIME_LIMIT + 1
        )
    }
    if REDIS_URL
    else {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        "store_processed": False,
        # Exchange bindings; kombu would otherwise write them to ./control in the working directory.
        "control_folder": str(VAR_DIR / "celery-control"),
        # The folder is polled; kombu's default (1 s) lets a worker take only one message a second.
        "polling_interval": 0.1,
    }
)
# Queues by latency class (config/celery_routing.py): run a worker per queue so that an export
# can never delay a page — `celery -A config worker -Q critical` (and default, slow).
FIREBREAK_CELERY_QUEUE_PREFIX = env_str("FIREBREAK_CELERY_QUEUE_PREFIX", "")
FIREBREAK_CELERY_QUEUES = {
    latency: f"{FIREBREAK_CELERY_QUEUE_PREFIX}{latency}"
    for latency in ("critical", "default", "slow")
}
CELERY_TASK_DEFAULT_QUEUE = FIREBREAK_CELERY_QUEUES["default"]
CELERY_TASK_ROUTES = ("config.celery_routing.route_task",)
CELERY_TASK_ALWAYS_EAGER = env_bool("FIREBREAK_CELERY_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
# Acknowledge a message after its task ran, and take one message per worker process at a time:
# a worker killed mid-task loses nothing (the message is redelivered, or the row's claim expires).
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Requeueing the task of a worker process that died is safe only for idempotent tasks; they opt in.
CELERY_TASK_REJECT_ON_WORKER_LOST = False
# After a broker connection loss the unacknowledged messages are redelivered anyway.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that enqueues work while the broker is down gives up within about a second
# (config.celery.DegradingTask logs it; the sweeps redo the work once the broker is back).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = env_str(
    "FIREBREAK_BEAT_SCHEDULE_FILE", str(VAR_DIR / "celerybeat-schedule")
)

FIREBREAK_REMINDER_SWEEP_SECONDS = env_int("FIREBREAK_REMINDER_SWEEP_SECONDS", 60, minimum=1)
# How long a webhook delivery id is remembered to drop the sender's retries (hours at most).
FIREBREAK_WEBHOOK_DELIVERY_RETENTION_DAYS = env_int(
    "FIREBREAK_WEBHOOK_DELIVERY_RETENTION_DAYS", 7, minimum=1
)
# /metrics answers only this bearer token when set (Prometheus: authorization.credentials).
FIREBREAK_METRICS_TOKEN = env_str("FIREBREAK_METRICS_TOKEN", "")
# Web processes check the sweeps' heartbeat from requests and e-mail admins when it is stale.
FIREBREAK_SCHEDULER_WATCH = env_bool("FIREBREAK_SCHEDULER_WATCH", True)
# A sweep that waited in the queue this long is dropped: a later tick does the same work, so a
# worker that was down does not come back to a pile of identical sweeps.
_SWEEP_OPTIONS = {"expires": max(2 * FIREBREAK_REMINDER_SWEEP_SECONDS, 30)}
CELERY_BEAT_SCHEDULE = {
    "reminders-sweep": {
        "task": "incidents.tasks.reminders_sweep",
        "schedule": timedelta(seconds=FIREBREAK_REMINDER_SWEEP_SECONDS),
        "options": _SWEEP_OPTIONS,
    },
    "notification-deliveries-sweep": {
        "task": "oncall.tasks.notification_deliveries_sweep",
        "schedule": timedelta(seconds=FIREBREAK_REMINDER_SWEEP_SECONDS),
        "options": _SWEEP_OPTIONS,
    },
    # The day-before reminder of each on-call shift (rows planned and claimed by this sweep).
    "shift-reminders-sweep": {
        "task": "oncall.tasks.shift_reminders_sweep",
        "schedule": timedelta(seconds=FIREBREAK_REMINDER_SWEEP_SECONDS),
        "options": _SWEEP_OPTIONS,
    },
    # Escalation: pages of unacknowledged critical alerts (rows claimed by this sweep).
    "pages-sweep": {
        "task": "oncall.tasks.pages_sweep",
        "schedule": timedelta(seconds=FIREBREAK_REMINDER_SWEEP_SECONDS),
        "options": _SWEEP_OPTIONS,
    },
    # Webhook delivery ids (PagerDuty X-Webhook-Id dedupe) are forgotten after their retention.
    "webhook-deliveries-prune": {
        "task": "oncall.tasks.webhook_deliveries_prune",
        "schedule": timedelta(hours=1),
        "options": {"expires": 1800},
    },
    # The search index catches up with writes whose after-commit indexing failed.
    "search-index-repair": {
        "task": "postmortems.tasks.search_index_repair",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 300},
    },
    # Postmortem owners are reminded as the due date nears (idempotent per day and postmortem).
    "postmortem-due-reminders": {
        "task": "postmortems.tasks.postmortem_due_reminders",
        "schedule": timedelta(hours=1),
        "options": {"expires": 1800},
    },
    # The quarterly manager pack by e-mail: rows planned on the first day of each quarter, claimed
    # and sent by this sweep (postmortems.services.report_packs).
    "report-pack-deliveries-sweep": {
        "task": "postmortems.tasks.report_deliveries_sweep",
        "schedule": timedelta(seconds=FIREBREAK_REMINDER_SWEEP_SECONDS),
        "options": _SWEEP_OPTIONS,
    },
    # Weekly digest of open and overdue action items to each owner (idempotent per ISO week).
    "action-item-digest": {
        "task": "postmortems.tasks.action_item_digest",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
        "options": {"expires": 6 * 3600},
    },
}

# --- incident response policy ---------------------------------------------------------------------
FIREBREAK_UPDATE_INTERVAL_MINUTES = env_int(
    "FIREBREAK_UPDATE_INTERVAL_MINUTES", 30, minimum=1, maximum=1440
)
FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY = env_int_map(
    "FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY", {}, allowed_keys={"SEV1", "SEV2", "SEV3", "SEV4"}
)
FIREBREAK_ASK_FOR_HELP_MINUTES = env_int(
    "FIREBREAK_ASK_FOR_HELP_MINUTES", 10, minimum=1, maximum=1440
)
# A claimed reminder or notification delivery not finished within this lease is taken back (its
# worker died). Keep it longer than those tasks' hard time limit (60 s), so a slow send is not
# started a second time while the first is still running.
FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS = env_int(
    "FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS", 120, minimum=1
)
FIREBREAK_NOTIFICATION_MAX_ATTEMPTS = env_int("FIREBREAK_NOTIFICATION_MAX_ATTEMPTS", 5, minimum=1)
# Alert webhooks: larger bodies get 413 (Django's own 2.5 MB upload limit applies above this).
FIREBREAK_WEBHOOK_MAX_BYTES = env_int(
    "FIREBREAK_WEBHOOK_MAX_BYTES", 1024 * 1024, minimum=1024, maximum=2621440
)

# --- Paging channels (oncall/channels; README "Paging channels") ---------------------------------


# One timeout for every provider call: a page must fail over, not hang, when a provider is slow.
FIREBREAK_CHANNEL_TIMEOUT_SECONDS = env_int(
    "FIREBREAK_CHANNEL_TIMEOUT_SECONDS", 10, minimum=1, maximum=40
)
# Twilio SMS and voice: off while the account SID or auth token is empty.
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER", "")
TWILIO_MESSAGING_SERVICE_SID = env_str("TWILIO_MESSAGING_SERVICE_SID", "")
# The REST API's base URL; tests point it at a local fake Twilio server.
TWILIO_API_URL = env_url("TWILIO_API_URL", "https://api.twilio.com")
# A regional SMS / voice provider by HTTP webhook (no code): off while the URL is empty.
HTTP_METHODS = {"GET", "POST", "PUT"}
FIREBREAK_SMS_WEBHOOK_URL = env_url("FIREBREAK_SMS_WEBHOOK_URL", "")
FIREBREAK_SMS_WEBHOOK_METHOD = env_choice("FIREBREAK_SMS_WEBHOOK_METHOD", "POST", HTTP_METHODS)
FIREBREAK_SMS_WEBHOOK_AUTH_HEADER = env_header("FIREBREAK_SMS_WEBHOOK_AUTH_HEADER")
FIREBREAK_SMS_WEBHOOK_BODY = env_str("FIREBREAK_SMS_WEBHOOK_BODY", '{"to": "$to", "text": "$text"}')
FIREBREAK_PHONE_WEBHOOK_URL = env_url("FIREBREAK_PHONE_WEBHOOK_URL", "")
FIREBREAK_PHONE_WEBHOOK_METHOD = env_choice("FIREBREAK_PHONE_WEBHOOK_METHOD", "POST", HTTP_METHODS)
FIREBREAK_PHONE_WEBHOOK_AUTH_HEADER = env_header("FIREBREAK_PHONE_WEBHOOK_AUTH_HEADER")
FIREBREAK_PHONE_WEBHOOK_BODY = env_str(
    "FIREBREAK_PHONE_WEBHOOK_BODY", '{"to": "$to", "text": "$text"}'
)
# Push through ntfy: a self-hosted server or https://ntfy.sh; empty (the default) turns push off.
NTFY_URL = env_url("NTFY_URL", "")
NTFY_TOKEN = env_str("NTFY_TOKEN", "")
# Microsoft Teams through each person's Workflows webhook URL.
FIREBREAK_TEAMS_ENABLED = env_bool("FIREBREAK_TEAMS_ENABLED", True)
# A Teams channel's workflow URL: stakeholder updates are posted there (like SLACK_STAKEHOLDER_CHANNEL).
FIREBREAK_TEAMS_STAKEHOLDER_WEBHOOK_URL = env_url("FIREBREAK_TEAMS_STAKEHOLDER_WEBHOOK_URL", "")
# Hosts (and their subdomains) a person's Teams workflow URL may point at: Microsoft's.
FIREBREAK_TEAMS_URL_HOSTS = env_list(
    "FIREBREAK_TEAMS_URL_HOSTS", ["logic.azure.com", "api.powerplatform.com"]
)
# --- log-in brute-force protection (config/login_throttle.py) --------------------------------------
# Failed log-ins per account and per client address before log-in pauses for the lockout.
FIREBREAK_LOGIN_FAILURES_PER_ACCOUNT = env_int(
    "FIREBREAK_LOGIN_FAILURES_PER_ACCOUNT", 10, minimum=1
)
FIREBREAK_LOGIN_FAILURES_PER_ADDRESS = env_int(
    "FIREBREAK_LOGIN_FAILURES_PER_ADDRESS", 50, minimum=1
)
FIREBREAK_LOGIN_LOCKOUT_MINUTES = env_int("FIREBREAK_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# Proxies in front of the web process that append to X-Forwarded-For (0: use REMOTE_ADDR).
FIREBREAK_TRUSTED_PROXY_COUNT = env_int("FIREBREAK_TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)

# --- Slack bot (incidents/slack; README "Connecting Slack") ----------------------------------------
# Both empty: the bot is off. A system check warns when only one of the two is set.
SLACK_SIGNING_SECRET = env_str("SLACK_SIGNING_SECRET", "")
SLACK_BOT_TOKEN = env_str("SLACK_BOT_TOKEN", "")
# slack-sdk WebClient base_url; tests point it at a local fake Slack server.
SLACK_API_URL = env_str("SLACK_API_URL", "https://slack.com/api/")
if not SLACK_API_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("SLACK_API_URL must be an http(s) URL, e.g. https://slack.com/api/.")
SLACK_API_URL = SLACK_API_URL.rstrip("/") + "/"
# Channel id (or name) where declarations and IC / comms-lead updates are announced; empty: none.
SLACK_STAKEHOLDER_CHANNEL = env_str("SLACK_STAKEHOLDER_CHANNEL", "")
# Addresses (comma-separated) that receive every stakeholder update of non-private incidents by
# e-mail, e.g. a stakeholders' mailing list. Empty: no e-mail.
FIREBREAK_STAKEHOLDER_EMAILS = env_list("FIREBREAK_STAKEHOLDER_EMAILS", [])
# Reacting to a message with this emoji (name without colons) puts it on the timeline.
SLACK_TIMELINE_EMOJI = env_str("SLACK_TIMELINE_EMOJI", "pushpin").strip(":")

# --- postmortems (METRICS.md: "Postmortem required" rules; each rule is a setting) ----------------
# Required when time to recover exceeds this many minutes (0 turns the rule off).
FIREBREAK_POSTMORTEM_TTR_MINUTES = env_int("FIREBREAK_POSTMORTEM_TTR_MINUTES", 30, minimum=0)
# Required for these severities (empty turns the rule off); checked by postmortems.checks.
FIREBREAK_POSTMORTEM_SEVERITIES = env_list("FIREBREAK_POSTMORTEM_SEVERITIES", ["SEV1", "SEV2"])
# Required when the same service had an incident with the same trigger within this many days (0: off).
# An incident "recurs" when an earlier one within this many days shares a service and trigger
# category, or an alert fingerprint (incident page badge, API, taxonomy page).
FIREBREAK_RECURRENCE_DAYS = env_int("FIREBREAK_RECURRENCE_DAYS", 90, minimum=1, maximum=3650)
FIREBREAK_POSTMORTEM_REPEAT_DAYS = env_int(
    "FIREBREAK_POSTMORTEM_REPEAT_DAYS", 3, minimum=0, maximum=90
)
FIREBREAK_POSTMORTEM_DUE_BUSINESS_DAYS = env_int(
    "FIREBREAK_POSTMORTEM_DUE_BUSINESS_DAYS", 5, minimum=1, maximum=60
)
FIREBREAK_POSTMORTEM_REMIND_DAYS_BEFORE = env_int(
    "FIREBREAK_POSTMORTEM_REMIND_DAYS_BEFORE", 2, minimum=0, maximum=30
)
FIREBREAK_POSTMORTEM_DEFAULT_TEMPLATE = env_str(
    "FIREBREAK_POSTMORTEM_DEFAULT_TEMPLATE", "real-world-sre"
)
# A warning is shown when one person owns more than this many open action items.
FIREBREAK_ACTION_ITEM_OWNER_LIMIT = env_int("FIREBREAK_ACTION_ITEM_OWNER_LIMIT", 5, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"secret_paths": {"()": "config.logging_filters.SecretPathFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["secret_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("FIREBREAK_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Scrubbed where Django logs request paths, so every handler (and test capture) gets it.
        "django.request": {"filters": ["secret_paths"]},
        "django.server": {"filters": ["secret_paths"]},
        "gunicorn.access": {"filters": ["secret_paths"]},
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
