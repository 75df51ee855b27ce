"""The weekly alert review: figures and groups (``selectors``), decisions and closing (``services``)."""
