import os

from django.conf import settings
from flask import Flask, make_response

# --- Django settings.py ---

# ruleid: cookie-samesite-none
SESSION_COOKIE_SAMESITE = "None"

# ruleid: cookie-samesite-none
CSRF_COOKIE_SAMESITE = None

# ok: cookie-samesite-none
SESSION_COOKIE_SAMESITE = "Lax"

# ok: cookie-samesite-none
CSRF_COOKIE_SAMESITE = "Strict"

# ok: cookie-samesite-none
SESSION_COOKIE_SAMESITE = os.environ.get("SESSION_COOKIE_SAMESITE", "Lax")


class ProductionConfig:
    # ruleid: cookie-samesite-none
    SESSION_COOKIE_SAMESITE = None
    SESSION_COOKIE_SECURE = True


class StrictConfig:
    # ok: cookie-samesite-none
    SESSION_COOKIE_SAMESITE = "Strict"


app = Flask(__name__)
# ruleid: cookie-samesite-none
app.config["SESSION_COOKIE_SAMESITE"] = None
# ok: cookie-samesite-none
app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
# ruleid: cookie-samesite-none
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="None")
# ok: cookie-samesite-none
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="Lax")


@app.route("/remember")
def remember():
    resp = make_response("ok")
    # ruleid: cookie-samesite-none
    resp.set_cookie("remember", "1", secure=True, samesite="None")
    # ok: cookie-samesite-none
    resp.set_cookie("theme", "dark", secure=True, samesite="Lax")
    return resp


def configure():
    # ruleid: cookie-samesite-none
    settings.configure(SESSION_COOKIE_SAMESITE="None")

mapped = Flask("mapped")
# ruleid: cookie-samesite-none
mapped.config.from_mapping(SECRET_KEY=os.environ["KEY"], SESSION_COOKIE_SAMESITE=None)
# ok: cookie-samesite-none
mapped.config.from_mapping(SECRET_KEY=os.environ["KEY"], SESSION_COOKIE_SAMESITE="Strict")
