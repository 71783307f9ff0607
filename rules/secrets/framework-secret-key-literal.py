import os
import secrets

from django.conf import settings
from flask import Flask

# --- Django settings.py ---

# ruleid: framework-secret-key-literal
SECRET_KEY = "django-insecure-7h1s-1s-n0t-s3cr3t-q9w8e7r6t5y4"

# ok: framework-secret-key-literal
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

# ok: framework-secret-key-literal
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")


# --- Flask configuration classes ---


class Config:
    # ruleid: framework-secret-key-literal
    SECRET_KEY = "dev"
    SESSION_COOKIE_SECURE = True


class ProductionConfig(Config):
    # ok: framework-secret-key-literal
    SECRET_KEY = os.environ.get("FLASK_SECRET_KEY")


class EnvVars:
    # ok: framework-secret-key-literal
    SECRET_KEY = "FLASK_SECRET_KEY"


# --- Flask application ---

app = Flask(__name__)

# ruleid: framework-secret-key-literal
app.config["SECRET_KEY"] = "a8f5f167f44f4964e6c998dee827110c"

# ruleid: framework-secret-key-literal
app.secret_key = "super secret key"

# ok: framework-secret-key-literal
app.secret_key = os.environ[EnvVars.SECRET_KEY]

# ok: framework-secret-key-literal
app.config["SECRET_KEY"] = secrets.token_hex(32)


def create_app():
    application = Flask(__name__)
    application.config.update(
        # ruleid: framework-secret-key-literal
        SECRET_KEY="replace-me-before-deploying",
        SESSION_COOKIE_HTTPONLY=True,
    )
    return application


def create_app_from_env():
    application = Flask(__name__)
    # ok: framework-secret-key-literal
    application.config.update(SECRET_KEY=os.environ["FLASK_SECRET_KEY"], SESSION_COOKIE_HTTPONLY=True)
    return application


# --- stand-alone Django script ---


def configure_django():
    # ruleid: framework-secret-key-literal
    settings.configure(DEBUG=False, SECRET_KEY="standalone-script-key-0001")


def configure_django_from_env():
    # ok: framework-secret-key-literal
    settings.configure(DEBUG=False, SECRET_KEY=os.environ["DJANGO_SECRET_KEY"])


# --- a literal fallback when the environment variable is missing ---

# ruleid: framework-secret-key-literal
SECRET_KEY = os.getenv("SECRET_KEY", "dev")

# ruleid: framework-secret-key-literal
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-fallback")

# ok: framework-secret-key-literal
SECRET_KEY = os.getenv("SECRET_KEY")

# ok: framework-secret-key-literal
SECRET_KEY = os.getenv("SECRET_KEY", secrets.token_hex(32))


class FallbackConfig:
    # ruleid: framework-secret-key-literal
    SECRET_KEY = os.environ.get("FLASK_SECRET_KEY", default="change-me")


fallback_app = Flask(__name__)
# ruleid: framework-secret-key-literal
fallback_app.config["SECRET_KEY"] = os.getenv("FLASK_SECRET_KEY", "dev-key")
# ruleid: framework-secret-key-literal
fallback_app.secret_key = os.environ.get("FLASK_SECRET_KEY", "s3cr3t")
# ok: framework-secret-key-literal
fallback_app.secret_key = os.environ["FLASK_SECRET_KEY"]
# ruleid: framework-secret-key-literal
fallback_app.secret_key = os.environ.get("FLASK_SECRET_KEY") or "dev"
# ok: framework-secret-key-literal
fallback_app.secret_key = os.environ.get("FLASK_SECRET_KEY") or secrets.token_hex(32)
# ruleid: framework-secret-key-literal
fallback_app.config.from_mapping(SECRET_KEY="dev", DATABASE="/tmp/app.sqlite")
# ok: framework-secret-key-literal
fallback_app.config.from_mapping(SECRET_KEY=os.environ["FLASK_SECRET_KEY"], DATABASE="/tmp/app.sqlite")
