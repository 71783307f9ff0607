# exercises: a URL whose host or scheme is checked against an allow-list, with an early abort or return, is clean after the check (inline urlparse(u).netloc/.hostname/.scheme, or a parsed variable); a check that does not stop the request leaves it tainted
from urllib.parse import urlparse, urlsplit

import requests
from flask import Flask, abort, redirect, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)

ALLOWED_HOSTS = {"api.example.com", "cdn.example.com"}
ALLOWED_SCHEMES = ("https",)


@app.route("/fetch")
def fetch():
    url = request.args.get("url", "")
    if urlparse(url).netloc not in ALLOWED_HOSTS:
        abort(400)
    # ok: server-side-request-forgery
    return requests.get(url, timeout=5).text


@app.route("/fetch-hostname")
def fetch_hostname():
    url = request.args.get("url", "")
    parsed = urlsplit(url)
    if parsed.hostname not in ALLOWED_HOSTS:
        return "host not allowed", 400
    # ok: server-side-request-forgery
    return requests.get(url, timeout=5).text


@app.route("/fetch-scheme")
def fetch_scheme():
    url = request.args.get("url", "")
    if urlparse(url).scheme not in ALLOWED_SCHEMES:
        abort(400)
    # ok: server-side-request-forgery
    return requests.get(url, timeout=5).text


@app.route("/fetch-logged")
def fetch_logged():
    url = request.args.get("url", "")
    parsed = urlparse(url)
    if parsed.netloc not in ALLOWED_HOSTS:
        app.logger.warning("fetching from an unknown host")
    # ruleid: server-side-request-forgery
    return requests.get(url, timeout=5).text


@app.route("/fetch-other")
def fetch_other():
    url = request.args.get("url", "")
    fallback = request.args.get("fallback", "")
    if urlparse(fallback).netloc not in ALLOWED_HOSTS:
        abort(400)
    # the check was on another URL
    # ruleid: server-side-request-forgery
    return requests.get(url, timeout=5).text


@app.route("/login/next")
def login_next():
    target = request.args.get("next", "/")
    parsed = urlparse(target)
    if parsed.netloc != "app.example.com":
        abort(400)
    # ok: open-redirect
    return redirect(target)


@app.route("/login/continue")
def login_continue():
    target = request.args.get("next", "/")
    if urlparse(target).hostname in ALLOWED_HOSTS:
        # ok: open-redirect
        return redirect(target)
    # ruleid: open-redirect
    return redirect(target)
