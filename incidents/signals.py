"""Domain signals that higher layers (postmortems, the Slack bot) subscribe to.

Sent by service functions after the transaction commits (never from ``post_save``).
Every signal carries ``incident_id``; see each service for the other keyword arguments.
"""

from django.dispatch import Signal

incident_declared = Signal()
incident_changed = Signal()  # fields=[...]
incident_status_changed = Signal()  # old_status, new_status
incident_mitigated = Signal()
incident_resolved = Signal()
role_assigned = Signal()  # role, user_id, previous_user_id
stakeholder_update_posted = Signal()  # update_id
reminder_sent = Signal()  # reminder_id, kind, recipient_id
timeline_event_added = Signal()  # event_id, kind
