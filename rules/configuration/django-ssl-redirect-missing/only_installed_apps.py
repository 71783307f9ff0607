# settings.py without MIDDLEWARE: the finding is on INSTALLED_APPS
DEBUG = False
# ruleid: django-ssl-redirect-missing
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
    "shop",
]
