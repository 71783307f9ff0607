# settings.py: both cookie settings present
import os

DEBUG = False
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
    "shop",
]

# ok: django-secure-cookies-missing
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = os.environ.get("HTTPS", "1") == "1"
