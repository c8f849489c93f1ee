"""WSGI entry point for gunicorn (`aiom serve`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - import every view now, not on the first request
# Everything loaded so far lives as long as the process: keep it out of the cyclic garbage
# collector's full passes, which otherwise pause a request that allocates many rows (a
# figure over 100,000 use cases) for tens of milliseconds.
gc.freeze()
