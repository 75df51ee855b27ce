"""Paging channels beyond e-mail, the web inbox and Slack (issue 20): SMS and voice through
Twilio or a generic HTTP provider, push through ntfy, Microsoft Teams through Workflows.

One folder per channel (``twilio/``, ``webhook/``, ``ntfy/``, ``teams/``), each a transport in
``oncall.people.notify``. A person's contact methods (``models.ContactMethod``) are ordered: a
page goes out on the first, and on a failure moves on to the next at once (failover, see
``failover.py``). This package sits above ``escalation`` (it acknowledges alerts and reads pages).
"""
