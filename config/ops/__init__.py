"""Operating Firebreak: health and readiness probes, Prometheus metrics, the scheduler's heartbeat
and the dead-man's switch that tells admins when the scheduler stopped (README "Running in
production")."""
