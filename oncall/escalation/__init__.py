"""Escalation policies (``selectors`` who a policy pages, ``services`` editing them) and paging
(``paging``: pages as rows swept by beat, acknowledge links)."""
