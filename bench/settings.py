"""The app's own settings, with STATIC_ROOT moved into the bench's temporary folder.

Used only while config/settings.py does not read STATIC_ROOT from the environment: the bench
must not collect static files into the shared working tree, and without collected files
WhiteNoise (which serves from STATIC_ROOT when DEBUG is false) would answer 404.
"""

import os

from config.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
