"""On-call and people: the lowest layer of Firebreak (DESIGN.md: oncall <- incidents <- postmortems).

One package per capability, each with its models, services (writes), selectors (reads), views,
urls, forms, API and tasks. The capabilities are layered, lowest first; a package imports only
the shared helpers and packages *below* it, never one above it and never a face:

1. ``people``      profiles and time zones, notifications and their deliveries, notification
                   preferences, the notify transports registry (``people.notify``)
2. ``schedules``   rotation maths, schedule versions, overrides, swaps, hours, calendar feeds,
                   shift reminders
3. ``alerts``      integrations, webhooks, parsing and ingest, alert lists, the alerts API
4. ``escalation``  escalation policies and paging (pages, acknowledge links)
5. ``review``      the weekly alert review
6. ``channels``    paging channels (Twilio SMS/voice, provider webhooks, ntfy, Teams), contact
                   methods and their callbacks; registers its transports in ``people.notify``

Shared helpers every package may import (they import no package): ``access`` (who may do what),
``api_support`` (API error responses, safe ids), ``claims`` (claiming due rows under a lease),
``forms`` (the base web form), ``pagination`` (pages with a capped count), ``queue`` (enqueue a
task by name, so services never import their tasks module). Templates live with their package (``<package>/templates/oncall/...``).

Faces at the top (they import packages; nothing in a package imports them): ``models`` (so Django
finds every model), ``tasks`` (so Celery finds every task under its old ``oncall.tasks.*`` name),
``urls``, ``webhook_urls``, ``apps``, ``admin``, ``checks``, ``context_processors``,
``importers`` (``manage.py import_oncall``: PagerDuty, Opsgenie, Grafana OnCall),
``middleware``, and ``services``/``selectors``, which keep the old names working for the incidents
and postmortems apps. ``tests/oncall/test_import_layers.py`` enforces all of this.
"""
