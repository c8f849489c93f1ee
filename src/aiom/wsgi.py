"""WSGI entry point for gunicorn (`aiom serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
application = get_wsgi_application()
