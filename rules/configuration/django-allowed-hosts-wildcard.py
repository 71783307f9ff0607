import os

from django.conf import settings

# --- settings.py ---

# ruleid: django-allowed-hosts-wildcard
ALLOWED_HOSTS = ["*"]

# ruleid: django-allowed-hosts-wildcard
ALLOWED_HOSTS = [
    "localhost",
    "127.0.0.1",
    "*",
]

# ok: django-allowed-hosts-wildcard
ALLOWED_HOSTS = ["shop.example.com", "www.shop.example.com"]

# ok: django-allowed-hosts-wildcard
ALLOWED_HOSTS = [".shop.example.com"]

# ok: django-allowed-hosts-wildcard
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "shop.example.com").split(",")


class Staging:
    # ruleid: django-allowed-hosts-wildcard
    ALLOWED_HOSTS = ["staging.shop.example.com", "*"]


def configure_for_script():
    # ruleid: django-allowed-hosts-wildcard
    settings.configure(DEBUG=False, ALLOWED_HOSTS=["*"])


def configure_for_script_safely():
    # ok: django-allowed-hosts-wildcard
    settings.configure(DEBUG=False, ALLOWED_HOSTS=["localhost"])
