"""Keep the search index in step with incidents through their domain signals (sent on commit)."""

from __future__ import annotations

from postmortems.search.indexer import search_index_incident, search_index_timeline_event


def on_incident_written(sender, *, incident_id: int, **kwargs) -> None:
    """Declared or changed (title, summary, services, privacy...): rewrite its rows."""
    search_index_incident(incident_id=incident_id)


def on_timeline_event_added(sender, *, incident_id: int, event_id: int, **kwargs) -> None:
    search_index_timeline_event(event_id=event_id)


def connect() -> None:
    from incidents import signals

    signals.incident_declared.connect(on_incident_written, dispatch_uid="search.declared")
    signals.incident_changed.connect(on_incident_written, dispatch_uid="search.changed")
    signals.timeline_event_added.connect(on_timeline_event_added, dispatch_uid="search.timeline")
