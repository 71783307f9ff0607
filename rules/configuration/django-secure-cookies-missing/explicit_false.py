# `= False` is insecure-cookie-flags' finding, not this rule's
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

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
