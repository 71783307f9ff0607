import os
from pathlib import Path

from django.conf import settings

# --- settings.py ---

BASE_DIR = Path(__file__).resolve().parent.parent

# ruleid: django-debug-enabled
DEBUG = True

# ok: django-debug-enabled
DEBUG = False

# ok: django-debug-enabled
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

ALLOWED_HOSTS = ["shop.example.com"]


# --- django-configurations style settings classes ---


class Dev:
    # ruleid: django-debug-enabled
    DEBUG = True
    INTERNAL_IPS = ["127.0.0.1"]


class Prod(Dev):
    # ok: django-debug-enabled
    DEBUG = False


# --- stand-alone scripts that configure Django by hand ---


def run_migrations_script():
    # ruleid: django-debug-enabled
    settings.configure(DEBUG=True, INSTALLED_APPS=["shop"])


def run_report_script():
    # ok: django-debug-enabled
    settings.configure(DEBUG=False, INSTALLED_APPS=["shop"])


def print_report(rows):
    # ok: django-debug-enabled
    DEBUG = True
    for row in rows:
        if DEBUG:
            print(row)
