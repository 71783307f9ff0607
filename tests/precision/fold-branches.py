# exercises: constant folding prunes branches: an if/elif/else, a while or a conditional expression whose condition is arithmetic, comparison or logic on known constants runs one way only
import os

import requests
from flask import Flask, redirect, request, send_file

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)

REPORTS = "/srv/reports"
MODE = "strict"
LEGACY_PROXY = 0
RETRY_ONCE = 1


@app.route("/reports/daily")
def daily_report():
    param = request.args.get("name", "")
    num = 86
    if (7 * 42) - num > 200:
        bar = "daily.txt"
    else:
        bar = param
    # ok: path-traversal-request-input
    return send_file(os.path.join(REPORTS, bar))


@app.route("/reports/custom")
def custom_report():
    param = request.args.get("name", "")
    num = 86
    if (500 / 42) + num > 200:
        bar = "custom.txt"
    else:
        bar = param
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(REPORTS, bar))


@app.route("/greet")
def greet():
    param = request.args.get("who", "")
    num = 106
    bar = "guest" if 7 * 18 + num > 200 else param
    # ok: reflected-xss
    return f"<h1>Hello {bar}</h1>"


@app.route("/greet/named")
def greet_named():
    param = request.args.get("who", "")
    num = 106
    bar = param if (num * 2) < 300 else "guest"
    # ruleid: reflected-xss
    return f"<h1>Hello {bar}</h1>"


@app.route("/login/next")
def login_next():
    target = request.args.get("next", "/")
    if MODE == "open":
        dest = target
    elif MODE.upper() == "STRICT" and not LEGACY_PROXY:
        dest = "/home"
    else:
        dest = target
    # ok: open-redirect
    return redirect(dest)


@app.route("/logout/next")
def logout_next():
    target = request.args.get("next", "/")
    if MODE == "open":
        dest = "/home"
    elif len(MODE) > 3 or LEGACY_PROXY:
        dest = target
    else:
        dest = "/home"
    # ruleid: open-redirect
    return redirect(dest)


@app.route("/status")
def status():
    url = request.args.get("url", "")
    target = "https://status.example.com/health"
    while LEGACY_PROXY:
        target = url
        break
    # ok: server-side-request-forgery
    return requests.get(target, timeout=5).text


@app.route("/status/retry")
def status_retry():
    url = request.args.get("url", "")
    target = "https://status.example.com/health"
    while RETRY_ONCE:
        target = url
        break
    # ruleid: server-side-request-forgery
    return requests.get(target, timeout=5).text
