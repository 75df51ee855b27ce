"""Web views for postmortems, action items, meetings and templates: one module per page family.

Thin: load through selectors (visibility), parse with a form, call one service, render. A domain
error from a service is shown on the form that caused it, with the service's status code.
The names are imported here so ``postmortems.urls`` can keep saying ``views.<name>``.
"""

from postmortems.views.action_items import (
    action_item_add,
    action_item_detail,
    action_item_list,
    incident_action_item_add,
)
from postmortems.views.documents import (
    postmortem_detail,
    postmortem_export,
    postmortem_list,
    postmortem_new,
    postmortem_publish,
    postmortem_request,
    postmortem_review,
    postmortem_submit,
)
from postmortems.views.editor import (
    postmortem_edit,
    postmortem_history,
    postmortem_preview,
    revision_detail,
)
from postmortems.views.meetings import meeting_add, meeting_detail, meeting_invite
from postmortems.views.postmortem_templates import template_edit, template_list

__all__ = [
    "action_item_add",
    "action_item_detail",
    "action_item_list",
    "incident_action_item_add",
    "meeting_add",
    "meeting_detail",
    "meeting_invite",
    "postmortem_detail",
    "postmortem_edit",
    "postmortem_export",
    "postmortem_history",
    "postmortem_list",
    "postmortem_new",
    "postmortem_preview",
    "postmortem_publish",
    "postmortem_request",
    "postmortem_review",
    "postmortem_submit",
    "revision_detail",
    "template_edit",
    "template_list",
]
