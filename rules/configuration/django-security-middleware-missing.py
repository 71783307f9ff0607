from django.conf import settings

# ruleid: django-security-middleware-missing
MIDDLEWARE = [
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

# ok: django-security-middleware-missing
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]

# ruleid: django-security-middleware-missing
MIDDLEWARE_CLASSES = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
)

# ok: django-security-middleware-missing
MIDDLEWARE_CLASSES = ("django.middleware.csrf.CsrfViewMiddleware", "django.middleware.security.SecurityMiddleware")


class TestSettings:
    # ruleid: django-security-middleware-missing
    MIDDLEWARE = []


def middleware_for_tests():
    # ok: django-security-middleware-missing
    MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
    return MIDDLEWARE


# ok: django-security-middleware-missing
EXTRA_MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
