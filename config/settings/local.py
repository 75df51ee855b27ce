"""Developer settings for `make run`: embedded SQLite and filesystem broker unless overridden."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
