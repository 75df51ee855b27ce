from django.db import models


class SchedulerHeartbeat(models.Model):
    """When the beat sweeps last ran to completion (written by the worker that ran them).

    In the database, not the cache: every web process reads the same row, on every deployment
    shape (the embedded default has no shared cache), and it survives a Redis restart.
    """

    name = models.CharField(max_length=64, unique=True)
    last_run_at = models.DateTimeField()
    # When admins were last told that the sweeps stopped (one e-mail per outage and hour).
    alerted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.last_run_at:%Y-%m-%d %H:%M:%S}"
