"""The built-in postmortem templates, as plain data.

A data migration loads them; ``postmortem_templates_sync_builtin`` refreshes them. Bodies may
only use the placeholders of ``postmortems.placeholders.PLACEHOLDERS``.
"""

from __future__ import annotations

# (key, title, purpose, guidance, body)
Section = tuple[str, str, str, str, str]

BLAME_GUIDANCE = (
    'Write it blamelessly: say what happened and what allowed it, with "we" instead of names, '
    "and ask where a tool could have prevented the mistake."
)

REAL_WORLD_SRE: list[Section] = [
    (
        "summary",
        "Summary",
        "summary",
        "Two short paragraphs at most: what broke, for how long, and how we fixed it. "
        + BLAME_GUIDANCE,
        "",
    ),
    (
        "impact",
        "Impact",
        "impact",
        "Who was affected and how: users, requests, revenue, data. Use numbers where you have them.",
        "{{ durations }}\n\nAffected services: {{ incident.services }}",
    ),
    (
        "timeline",
        "Timeline",
        "timeline",
        "Built from the incident's highlighted timeline events. Highlight or add back-dated notes on "
        "the incident to change it; add narrative here.",
        "{{ timeline }}",
    ),
    (
        "root_cause",
        "Root cause",
        "root_cause",
        "What made this possible? Keep asking why until you reach something we can change. "
        + BLAME_GUIDANCE,
        "",
    ),
    (
        "action_items",
        "Action items",
        "action_items",
        "Each item has an owner and a due date. If we decide to change nothing, write a paragraph on "
        "the cost of doing nothing.",
        "{{ action_items }}",
    ),
    (
        "appendix",
        "Appendix",
        "other",
        "Graphs, logs, links to chat transcripts.",
        "{{ roles }}\n\n{{ alerts }}",
    ),
]

GOOGLE_SRE: list[Section] = [
    ("summary", "Summary", "summary", "One or two paragraphs. " + BLAME_GUIDANCE, ""),
    ("impact", "Impact", "impact", "Who noticed what, for how long.", "{{ durations }}"),
    ("root_causes", "Root causes", "root_cause", BLAME_GUIDANCE, ""),
    (
        "trigger",
        "Trigger",
        "root_cause",
        "What latent bug or condition did this change activate?",
        "",
    ),
    ("resolution", "Resolution", "other", "What we did to mitigate and then repair.", ""),
    (
        "detection",
        "Detection",
        "other",
        "How we found out. Would an alert have caught it sooner?",
        "",
    ),
    (
        "action_items",
        "Action items",
        "action_items",
        "Prevent, mitigate, detect, process.",
        "{{ action_items }}",
    ),
    (
        "lessons",
        "Lessons learned",
        "lessons",
        "Be honest about luck: it is a warning, not a plan.",
        "### What went well\n\n\n### What went wrong\n\n\n### Where we got lucky\n\n",
    ),
    ("timeline", "Timeline", "timeline", "Highlighted incident events.", "{{ timeline }}"),
    (
        "supporting_information",
        "Supporting information",
        "other",
        "Dashboards, logs, links.",
        "{{ roles }}\n\n{{ alerts }}",
    ),
]

INCIDENT_REVIEW: list[Section] = [
    (
        "leadup",
        "Leadup",
        "other",
        "The circumstances that led to the incident: changes, conditions.",
        "",
    ),
    ("fault", "Fault", "root_cause", "What did not work as expected? " + BLAME_GUIDANCE, ""),
    ("impact", "Impact", "impact", "How customers and staff were affected.", "{{ durations }}"),
    (
        "detection",
        "Detection",
        "other",
        "When and how we detected it; how detection could be faster.",
        "",
    ),
    (
        "response",
        "Response",
        "other",
        "Who responded, when and how; delays and obstacles.",
        "{{ roles }}",
    ),
    (
        "recovery",
        "Recovery",
        "other",
        "How and when service was restored; how it could be faster.",
        "",
    ),
    ("timeline", "Timeline", "timeline", "Highlighted incident events.", "{{ timeline }}"),
    (
        "five_whys",
        "Five whys",
        "root_cause",
        "Start from the impact and ask why, five times. " + BLAME_GUIDANCE,
        "1. Why? \n2. Why? \n3. Why? \n4. Why? \n5. Why? ",
    ),
    (
        "root_cause",
        "Root cause",
        "root_cause",
        "The final why: something we can fix. " + BLAME_GUIDANCE,
        "",
    ),
    (
        "backlog_check",
        "Backlog check",
        "other",
        "Was there already work planned that would have prevented this?",
        "",
    ),
    (
        "recurrence",
        "Recurrence",
        "other",
        "Has this root cause caused incidents before? Link them.",
        "",
    ),
    (
        "lessons",
        "Lessons learned",
        "lessons",
        "What went well, what could improve, where we got lucky.",
        "",
    ),
    (
        "corrective_actions",
        "Corrective actions",
        "action_items",
        "Owner and due date for each.",
        "{{ action_items }}",
    ),
]

EVENT_REVIEW: list[Section] = [
    (
        "summary",
        "Summary",
        "summary",
        "What the event was (a launch, a migration, a vendor change) and how it went.",
        "",
    ),
    ("goals", "Goals and plan", "other", "What we set out to do, and the plan we followed.", ""),
    (
        "preparation",
        "Preparation",
        "other",
        "Load tests, rollback plan, communication sent beforehand.",
        "",
    ),
    ("timeline", "Timeline", "timeline", "Highlighted events of the launch.", "{{ timeline }}"),
    (
        "outcome",
        "Outcome against the plan",
        "impact",
        "What happened differently from the plan.",
        "{{ durations }}",
    ),
    (
        "vendor",
        "Vendor and dependency changes",
        "other",
        "Changes made by vendors or upstream teams.",
        "",
    ),
    ("lessons", "Lessons learned", "lessons", "What to repeat and what to change next time.", ""),
    (
        "action_items",
        "Action items",
        "action_items",
        "Owner and due date for each.",
        "{{ action_items }}",
    ),
]

LIGHTWEIGHT: list[Section] = [
    (
        "summary",
        "Summary",
        "summary",
        "A paragraph: what happened and what we changed. " + BLAME_GUIDANCE,
        "{{ durations }}",
    ),
    ("timeline", "Timeline", "timeline", "Highlighted incident events.", "{{ timeline }}"),
    ("root_cause", "Root cause", "root_cause", BLAME_GUIDANCE, ""),
    (
        "action_items",
        "Action items",
        "action_items",
        "Owner and due date for each.",
        "{{ action_items }}",
    ),
]

# slug → (name, description, sections)
BUILTIN_TEMPLATES: dict[str, tuple[str, str, list[Section]]] = {
    "real-world-sre": (
        "Real-World SRE",
        "Nat Welch, Real-World SRE, ch. 4: summary, impact, timeline, root cause, action items, appendix.",
        REAL_WORLD_SRE,
    ),
    "google-sre": (
        "Google SRE",
        "The Google SRE book's postmortem: root causes, trigger, resolution, detection, lessons learned.",
        GOOGLE_SRE,
    ),
    "incident-review": (
        "Incident review (Atlassian)",
        "Atlassian's incident review: leadup, fault, impact, detection, response, recovery, five whys.",
        INCIDENT_REVIEW,
    ),
    "event-review": (
        "Event review",
        "For launches, migrations and vendor changes rather than outages.",
        EVENT_REVIEW,
    ),
    "lightweight": (
        "Lightweight",
        "Four short sections for small incidents.",
        LIGHTWEIGHT,
    ),
}

DEFAULT_TEMPLATE_SLUG = "real-world-sre"
