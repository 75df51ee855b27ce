"""REST API of the incident-response core (registered in config/api_router.py)."""
