"""Settings for pytest. DATABASE_URL / REDIS_URL switch the run onto PostgreSQL and Redis."""

import atexit
import os
import shutil
import tempfile

# Worker and beat subprocesses started by tests (tests/support/celery_procs.py) set
# FIREBREAK_TEST_WORKER_DB and inherit FIREBREAK_VAR_DIR, DATABASE_URL and REDIS_URL from the
# pytest process: they use its test database and its broker.
_IS_TEST_WORKER = "FIREBREAK_TEST_WORKER_DB" in os.environ
if not _IS_TEST_WORKER and not os.environ.get("FIREBREAK_VAR_DIR"):
    # A private folder per pytest process for the embedded broker and the SQLite test database,
    # so a test run never shares a queue with another run or with `make run`.
    _var_dir = tempfile.mkdtemp(prefix="firebreak-test-")
    atexit.register(shutil.rmtree, _var_dir, True)
    os.environ["FIREBREAK_VAR_DIR"] = _var_dir
    os.mkdir(os.path.join(_var_dir, "staticfiles"))  # STATIC_ROOT; WhiteNoise warns when missing

from .base import *  # noqa: E402, F403
from .base import DATABASES, VAR_DIR  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if os.environ.get("FIREBREAK_TEST_MAIL_DIR"):
    # Worker subprocesses of tests write their mail here, where the test can read it.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["FIREBREAK_TEST_MAIL_DIR"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "100000/min", "user": "100000/min"}  # noqa: F405
# Tests with serialized_rollback get the migrations' seed rows back (postmortem templates...).
# Content types and permissions are left out: a plain transactional test's flush recreates them
# with new ids, and restoring the old rows over those would fail on their unique keys.
# (Groups are in auth too; tests.factories creates them when missing.)
TEST_NON_SERIALIZED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]

# Each pytest process gets its own test database, so parallel runs on one server do not collide.
# Worker subprocesses are pointed at it through DATABASE_URL by the test fixtures.
if not _IS_TEST_WORKER:
    _suffix = os.environ.get("FIREBREAK_TEST_DB_SUFFIX", str(os.getpid()))
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["TEST"] = {"NAME": f"test_firebreak_{_suffix}"}
    else:
        # A file, not SQLite's in-memory default, so that worker subprocesses can open it too.
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test_firebreak_{_suffix}.sqlite3")}
    # Tasks sent by tests go to queues of this run only (process tests pick their own prefix).
    if not os.environ.get("FIREBREAK_CELERY_QUEUE_PREFIX"):
        FIREBREAK_CELERY_QUEUE_PREFIX = f"firebreak-test-{_suffix}-"
        FIREBREAK_CELERY_QUEUES = {
            latency: f"{FIREBREAK_CELERY_QUEUE_PREFIX}{latency}"
            for latency in ("critical", "default", "slow")
        }
        CELERY_TASK_DEFAULT_QUEUE = FIREBREAK_CELERY_QUEUES["default"]
# The dead-man's switch checks from ordinary requests; tests call it directly (query counts).
FIREBREAK_SCHEDULER_WATCH = False
