# settings/production.py
import os

DEBUG = False
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
    "shop",
]

# ok: django-hsts-missing
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]

SECURE_SSL_REDIRECT = True

# ruleid: django-hsts-missing
SECURE_HSTS_SECONDS = 0

# ok: django-hsts-missing
SECURE_HSTS_SECONDS = 31536000

# ok: django-hsts-missing
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "3600"))

if os.environ.get("DISABLE_HSTS"):
    # ruleid: django-hsts-missing
    SECURE_HSTS_SECONDS = 0
