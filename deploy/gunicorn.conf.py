"""gunicorn settings for Firebreak's web process — the Dockerfile, compose, the Helm chart and
the process tests (tests/support/web_procs.py) all run ``gunicorn -c deploy/gunicorn.conf.py
config.wsgi``. Every value can be changed with the environment variable named beside it."""

import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")  # noqa: S104
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# Threads: a request waiting on PostgreSQL or on Slack's API does not hold a whole process.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Load Django once in the master, before forking: workers start warm and share memory.
preload_app = True
# The slowest synchronous request left is a quarter's report pack rendered on demand (PDF with
# charts, bench/bench_reports.py); 60 s leaves room on a loaded machine. Slack commands answer
# in well under 3 s and do their work in Celery.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then (jitter: not all at once) so a slow leak cannot grow forever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# X-Forwarded-Proto from the ingress / load balancer (Django's SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    # Multi-process Prometheus counters live in files; a restart starts them from zero.
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.unlink(os.path.join(folder, name))


def when_ready(server):
    """After the app was preloaded: import and compile what the first requests would (URL
    resolver, every view module, the Slack bot, templates) so no worker pays for it later."""
    if os.environ.get("FIREBREAK_WARM_UP", "1") == "0":  # bench/bench_cold_start.py compares
        return
    from config.warmup import warm_up

    seconds = warm_up()
    server.log.info("warmed up in %.2f s", seconds)


def post_fork(server, worker):
    # Connections opened while warming belong to the master; a worker opens its own.
    from django.db import connections

    connections.close_all()


def child_exit(server, worker):
    # Multi-process Prometheus counters: drop the gauges of a worker that exited.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
