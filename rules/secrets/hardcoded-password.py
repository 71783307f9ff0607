import enum
import getpass
import os
import smtplib

import psycopg2

# ruleid: hardcoded-password
DB_PASSWORD = "Sup3rS3cret!"

# ok: hardcoded-password
ADMIN_PASSWORD = os.environ["ADMIN_PASSWORD"]

# ok: hardcoded-password
smtp_password = ""

# ok: hardcoded-password
ldap_bind_password = "<your-password>"

# ok: hardcoded-password
password_reset_url = "/accounts/password/reset/"


class ChallengeName(enum.Enum):
    # ok: hardcoded-password
    NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"
    MFA_SETUP = "MFA_SETUP"


class Field(enum.Enum):
    PASSWORD = 1
    EMAIL = 2


FIELD_LABELS = {
    # ok: hardcoded-password
    Field.PASSWORD: "Your password",
    Field.EMAIL: "E-mail address",
}

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        # ruleid: hardcoded-password
        "PASSWORD": "pg-s3cr3t-2024",
        "HOST": "db.internal",
    },
    "replica": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop_ro",
        # ok: hardcoded-password
        "PASSWORD": os.environ.get("REPLICA_DB_PASSWORD", ""),
        "HOST": "replica.internal",
    },
}


class MailClient:
    def __init__(self, host, user):
        self.host = host
        self.user = user
        # ruleid: hardcoded-password
        self.password = "mailpass2024"

    def send(self, to, body):
        with smtplib.SMTP_SSL(self.host) as smtp:
            smtp.login(self.user, self.password)
            smtp.sendmail(self.user, [to], body)


class SafeMailClient:
    def __init__(self, host, user):
        self.host = host
        self.user = user
        # ok: hardcoded-password
        self.password = getpass.getpass("SMTP password: ")


def connect_db():
    return psycopg2.connect(
        host="db.internal",
        user="app",
        # ruleid: hardcoded-password
        password="tiger123",
    )


def connect_db_from_env():
    # ok: hardcoded-password
    return psycopg2.connect(host="db.internal", user="app", password=os.environ["PGPASSWORD"])


# ruleid: hardcoded-password
def login(username, password="admin123"):
    return username == "admin" and password == "admin123"


# ok: hardcoded-password
def login_checked(username, password=None):
    if password is None:
        password = getpass.getpass()
    return username, password


def open_keystore(path, pass_phrase):
    return path, pass_phrase


# ruleid: hardcoded-password
keystore = open_keystore("/etc/app/keystore.p12", pass_phrase="correct horse battery staple")

# ok: hardcoded-password
keystore_env = open_keystore("/etc/app/keystore.p12", pass_phrase=os.environ["KEYSTORE_PASS"])
