"""People: profiles and time zones, notifications and their deliveries, notification preferences,
and the registry of notify transports (``notify``). The lowest capability of oncall."""
