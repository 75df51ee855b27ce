"""Knowledge-base search: a denormalised index of incidents, timeline notes, action items and
postmortems, queried with PostgreSQL full-text search or SQLite FTS5 (same behaviour on both).

The index is written by `postmortems.search.indexer` (called from services and domain signals,
never ``post_save``) and read through `postmortems.search.selectors.search`.
"""
