DEBUG = True
# ok: django-secure-cookies-missing
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
    "shop",
]
