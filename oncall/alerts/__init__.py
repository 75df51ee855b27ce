"""Alert integrations: authenticating, parsing and recording alerts posted by monitoring systems.

- ``auth``        tokens, integration look-up and request signatures (checked before parsing)
- ``common``      the normalised alert every parser produces, timestamps, fingerprints
- ``urgency``     the documented mapping from severity/urgency/priority labels to urgency
- ``alertmanager``, ``grafana``, ``generic``, ``pagerduty``  one parser per sender
- ``services``    every write (``alert_ingest``, ``alert_acknowledge``, ``integration_create`` ...)
- ``selectors``   reads for the API and the web pages
"""
