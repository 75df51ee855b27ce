"""Postmortems arrive with their own issue; the app exists so the layering is in place."""
