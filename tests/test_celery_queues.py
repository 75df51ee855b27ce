"""Celery queues by latency class: pages and reminders never wait behind an export."""

from __future__ import annotations

import pytest
from django.conf import settings

from config.celery import app
from config.celery_routing import latency_class, route_task


def test_every_registered_task_has_a_latency_class_and_the_paging_path_is_critical():
    app.loader.import_default_modules()
    names = {name for name in app.tasks if not name.startswith("celery.")}
    classes = {name: latency_class(name) for name in names}

    critical = {name for name, latency in classes.items() if latency == "critical"}
    for suffix in (
        "reminders_sweep",
        "reminder_fire",
        "pages_sweep",
        "page_fire",
        "notification_deliver",
        "notification_deliveries_sweep",
    ):
        assert any(name.endswith(f".{suffix}") for name in critical), suffix
    assert all(latency_class(name) == "critical" for name in names if ".slack" in name)
    assert {name for name, latency in classes.items() if latency == "slow"} >= {
        name for name in names if "report_delivery_send" in name
    }


@pytest.mark.parametrize(
    ("task", "latency"),
    [
        ("incidents.tasks.reminders_sweep", "critical"),
        ("oncall.tasks.page_fire", "critical"),
        ("oncall.paging.tasks.page_fire", "critical"),  # after a move to a package
        ("incidents.slack.tasks.slack_command_run", "critical"),
        ("postmortems.reports.tasks.report_pack_build", "slow"),
        ("postmortems.exports.tasks.export_render", "slow"),
        ("postmortems.search.tasks.search_index_rebuild", "slow"),
        ("postmortems.tasks.postmortem_due_reminders", "default"),
        ("postmortems.tasks.action_item_digest", "default"),
    ],
)
def test_tasks_route_to_the_queue_of_their_latency_class(task, latency):
    assert route_task(task, (), {}, {}) == {"queue": settings.FIREBREAK_CELERY_QUEUES[latency]}


def test_every_beat_entry_routes_to_a_known_queue():
    queues = set(settings.FIREBREAK_CELERY_QUEUES.values())
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert route_task(entry["task"], (), {}, {})["queue"] in queues
