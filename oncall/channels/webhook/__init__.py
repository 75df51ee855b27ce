"""SMS and voice through any provider that takes an HTTP request (an admin's settings, no code)."""
