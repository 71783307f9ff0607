import os

DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
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

if not DEBUG:
    SECURE_SSL_REDIRECT = True
