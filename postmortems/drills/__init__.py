"""Wheel of Misfortune drills replayed from published postmortems."""
