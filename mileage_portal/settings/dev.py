"""Local development: embedded defaults (SQLite, eager Celery, local files), DEBUG on."""
from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
