"""The Slack bot for active incidents: endpoints, command router, channel per incident, timeline capture.

Imported by ``incidents`` (a lower layer may not import ``postmortems``; postmortem commands are
registered into :mod:`incidents.slack.commands` from ``PostmortemsConfig.ready``).
"""
