from django.conf import settings

# ruleid: django-weak-password-hasher
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

PASSWORD_HASHERS = [
    # ruleid: django-weak-password-hasher
    "django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

PASSWORD_HASHERS = (
    # ruleid: django-weak-password-hasher
    "django.contrib.auth.hashers.SHA1PasswordHasher",
)

PASSWORD_HASHERS = [
    # ok: django-weak-password-hasher
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # ok: django-weak-password-hasher
    "django.contrib.auth.hashers.MD5PasswordHasher",
]

# ok: django-weak-password-hasher
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher"]


def configure():
    # ruleid: django-weak-password-hasher
    settings.configure(PASSWORD_HASHERS=["django.contrib.auth.hashers.UnsaltedMD5PasswordHasher"])
