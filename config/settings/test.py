"""Settings for pytest. DATABASE_URL / REDIS_URL switch the run onto PostgreSQL and Redis."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "100000/min", "user": "100000/min"}  # noqa: F405

# Each pytest process gets its own test database, so parallel runs on one server do not collide.
# Worker subprocesses are pointed at it through DATABASE_URL by the test fixtures.
if "FIREBREAK_TEST_WORKER_DB" not in os.environ:
    _suffix = os.environ.get("FIREBREAK_TEST_DB_SUFFIX", str(os.getpid()))
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["TEST"] = {"NAME": f"test_firebreak_{_suffix}"}
