"""Reports: the METRICS.md figures (``metrics``), the summary API (``api``)."""
