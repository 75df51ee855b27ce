"""Importers from the on-call tools teams are leaving: PagerDuty, Opsgenie and Grafana OnCall.

A face at the top of ``oncall`` (it calls the packages' services; no package imports it):

- ``pagerduty``, ``opsgenie``, ``grafana``  one reader per vendor: the vendor's JSON (as its
                    public REST API returns it) → a vendor-neutral :class:`plan.Plan`, with every
                    object that does not fit our model kept as a :class:`plan.Skip` and its reason
- ``fit``          the shared rule for "does this rotation fit one of our rotation kinds exactly"
- ``fetch``        reading the live APIs (auth header and pagination of each vendor)
- ``services``     ``import_apply``: people, schedules, overrides, escalation policies and
                   integrations through the packages' own services; ``ImportedObject`` rows keep
                   the vendor's ids so a second run changes nothing
"""
