"""The portable archive: the whole history as plain Markdown + YAML files, and back.

Layout of an archive directory (every file UTF-8, LF line endings, trailing newline)::

    people.yml  teams.yml  services.yml  templates.yml  alerts.yml
    incidents/INC-<n>.md                 one per incident
    postmortems/INC-<n>-postmortem.md    one per postmortem
    markdown/*.md                        (import only) postmortems written elsewhere

Each ``.md`` file is YAML front matter holding every field (the authoritative data, rows named
by natural keys — incident numbers, usernames, slugs — never by primary key) followed by a
readable Markdown rendering of the same data, regenerated on every export.
"""
