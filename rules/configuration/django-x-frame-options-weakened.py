import os

from django.conf import settings

# ruleid: django-x-frame-options-weakened
X_FRAME_OPTIONS = "ALLOWALL"

# ruleid: django-x-frame-options-weakened
X_FRAME_OPTIONS = "ALLOW-FROM https://partner.example.com"

# ruleid: django-x-frame-options-weakened
X_FRAME_OPTIONS = None

# ok: django-x-frame-options-weakened
X_FRAME_OPTIONS = "DENY"

# ok: django-x-frame-options-weakened
X_FRAME_OPTIONS = "SAMEORIGIN"

# ok: django-x-frame-options-weakened
X_FRAME_OPTIONS = os.environ.get("X_FRAME_OPTIONS", "DENY")


class Production:
    # ruleid: django-x-frame-options-weakened
    X_FRAME_OPTIONS = ""


class Staging:
    # ok: django-x-frame-options-weakened
    X_FRAME_OPTIONS = "SAMEORIGIN"


def configure():
    # ruleid: django-x-frame-options-weakened
    settings.configure(DEBUG=False, X_FRAME_OPTIONS="ALLOWALL")


def configure_safely():
    # ok: django-x-frame-options-weakened
    settings.configure(DEBUG=False, X_FRAME_OPTIONS="DENY")
