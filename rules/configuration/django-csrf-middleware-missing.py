from django.conf import settings

# ruleid: django-csrf-middleware-missing
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

# ok: django-csrf-middleware-missing
MIDDLEWARE = [
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]

# ruleid: django-csrf-middleware-missing
MIDDLEWARE_CLASSES = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
)

# ok: django-csrf-middleware-missing
MIDDLEWARE_CLASSES = ("django.middleware.security.SecurityMiddleware", "django.middleware.csrf.CsrfViewMiddleware")


class TestSettings:
    # ruleid: django-csrf-middleware-missing
    MIDDLEWARE = []


def middleware_for_tests():
    # ok: django-csrf-middleware-missing
    MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
    return MIDDLEWARE


# ok: django-csrf-middleware-missing
EXTRA_MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
