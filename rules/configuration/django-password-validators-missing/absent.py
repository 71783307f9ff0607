DEBUG = True
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
    "shop",
]

# ruleid: django-password-validators-missing
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
