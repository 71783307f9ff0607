# settings/production.py
import os

DEBUG = False
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
    "shop",
]

# ok: django-ssl-redirect-missing
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]

# ruleid: django-ssl-redirect-missing
SECURE_SSL_REDIRECT = False

# ok: django-ssl-redirect-missing
SECURE_SSL_REDIRECT = True

# ok: django-ssl-redirect-missing
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SSL_REDIRECT", "1") == "1"

if os.environ.get("BEHIND_PLAIN_HTTP_PROXY"):
    # ruleid: django-ssl-redirect-missing
    SECURE_SSL_REDIRECT = False
