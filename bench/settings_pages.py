"""The app's settings for bench/pages.py: its URLs with a trivial login-required view added
(bench/urls.py), and STATIC_ROOT in the bench's temporary folder (see bench/settings.py)."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
