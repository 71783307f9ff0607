import os
import secrets

from django.http import HttpResponse
from flask import Flask, make_response, request

# --- Django settings.py ---

# ruleid: insecure-cookie-flags
SESSION_COOKIE_SECURE = False

# ruleid: insecure-cookie-flags
CSRF_COOKIE_SECURE = False

# ruleid: insecure-cookie-flags
SESSION_COOKIE_HTTPONLY = False

# ok: insecure-cookie-flags
SESSION_COOKIE_SECURE = True

# ok: insecure-cookie-flags
CSRF_COOKIE_SECURE = os.environ.get("HTTPS_ONLY", "1") == "1"

# ok: insecure-cookie-flags
CSRF_COOKIE_HTTPONLY = False

# --- Flask ---

app = Flask(__name__)

# ruleid: insecure-cookie-flags
app.config["SESSION_COOKIE_SECURE"] = False

# ok: insecure-cookie-flags
app.config["SESSION_COOKIE_SECURE"] = True

# ruleid: insecure-cookie-flags
app.config.update(
    SESSION_COOKIE_HTTPONLY=False,
    SESSION_COOKIE_SAMESITE="Lax",
)

# ok: insecure-cookie-flags
app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")


@app.route("/login", methods=["POST"])
def login():
    token = secrets.token_urlsafe(32)
    resp = make_response("welcome")
    # ruleid: insecure-cookie-flags
    resp.set_cookie("remember_token", token, max_age=3600, secure=False, httponly=True)
    # ok: insecure-cookie-flags
    resp.set_cookie("sid", token, secure=True, httponly=True, samesite="Lax")
    return resp


@app.route("/prefs", methods=["POST"])
def save_prefs():
    resp = make_response("saved")
    # ruleid: insecure-cookie-flags
    resp.set_cookie("session_hint", request.form["hint"], httponly=False, secure=True)
    # ok: insecure-cookie-flags
    resp.set_cookie("theme", request.form["theme"], secure=True, samesite="Strict")
    return resp


@app.route("/cart", methods=["POST"])
def save_cart():
    resp = make_response("saved")
    # ruleid: insecure-cookie-flags
    resp.set_cookie("cart", request.form["items"], httponly=True, samesite="Lax")
    # ruleid: insecure-cookie-flags
    resp.set_cookie("last_seen", "today")
    # ok: insecure-cookie-flags
    resp.set_cookie("cart_v2", request.form["items"], secure=True, httponly=True, samesite="Lax")
    options = {"secure": True, "httponly": True}
    # ok: insecure-cookie-flags
    resp.set_cookie("cart_v3", request.form["items"], **options)
    return resp


def django_view(request):
    response = HttpResponse("ok")
    # ruleid: insecure-cookie-flags
    response.set_signed_cookie("uid", "42", salt="profile")
    # ok: insecure-cookie-flags
    response.set_signed_cookie("uid", "42", salt="profile", secure=True, httponly=True)
    return response


def django_login(request):
    response = HttpResponse("welcome")
    # ruleid: insecure-cookie-flags
    response.set_cookie("auth_token", request.session.session_key, secure=True, samesite="Lax")
    # ok: insecure-cookie-flags
    response.set_cookie("csrftoken", "abc", secure=True, samesite="Lax")
    # ok: insecure-cookie-flags
    response.set_cookie("sessionid", "abc", secure=True, httponly=True, samesite="Lax")
    return response
