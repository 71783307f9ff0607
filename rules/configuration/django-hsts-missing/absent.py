DEBUG = False
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
    "shop",
]

# ruleid: django-hsts-missing
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]

SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
