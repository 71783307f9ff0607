# exercises: a check made in a helper function of the file guards the caller's value as the same check made inline: a helper that raises (or aborts) on a bad value, called as a statement, leaves its argument clean after the call; a predicate helper (`return ".." not in name`) cleans its argument where it holds. A helper that only logs, that returns before its check, that checks another parameter, or whose result is ignored, guards nothing
import logging
import os
from urllib.parse import urlparse

import requests
from flask import Flask, abort, request, send_file

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)

REPORTS = "/srv/reports"
ALLOWED_HOSTS = {"api.example.com"}
log = logging.getLogger(__name__)


def reject_traversal(name):
    """Refuses a file name that climbs out of the reports folder."""
    if ".." in name:
        raise ValueError("invalid name")


def require_allowed_host(url, reason="fetch"):
    if urlparse(url).netloc not in ALLOWED_HOSTS:
        abort(400)


def is_safe_name(name):
    return ".." not in name and not name.startswith("/")


def warn_traversal(name):
    if ".." in name:
        log.warning("suspicious name %s", name)


def reject_late(name, strict):
    if not strict:
        return
    if ".." in name:
        raise ValueError("invalid name")


def reject_other(prefix, name):
    if ".." in prefix:
        raise ValueError("invalid prefix")


@app.route("/reports/archive")
def archive_report():
    name = request.args.get("name", "")
    reject_traversal(name)
    # ok: path-traversal-request-input
    return send_file(os.path.join(REPORTS, name))


@app.route("/reports/keyword")
def keyword_report():
    name = request.args.get("name", "")
    reject_traversal(name=name)
    # ok: path-traversal-request-input
    return send_file(os.path.join(REPORTS, name))


@app.route("/proxy")
def proxy():
    url = request.args.get("url", "")
    require_allowed_host(url)
    # ok: server-side-request-forgery
    return requests.get(url, timeout=5).text


@app.route("/reports/checked")
def checked_report():
    name = request.args.get("name", "")
    if not is_safe_name(name):
        abort(400)
    # ok: path-traversal-request-input
    return send_file(os.path.join(REPORTS, name))


@app.route("/reports/when-safe")
def when_safe_report():
    name = request.args.get("name", "")
    if is_safe_name(name):
        # ok: path-traversal-request-input
        return send_file(os.path.join(REPORTS, name))
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(REPORTS, "default", name))


@app.route("/reports/warned")
def warned_report():
    name = request.args.get("name", "")
    warn_traversal(name)
    # the helper only logs: the name still climbs
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(REPORTS, name))


@app.route("/reports/late")
def late_report():
    name = request.args.get("name", "")
    reject_late(name, request.args.get("strict") == "1")
    # the helper may return before its check
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(REPORTS, name))


@app.route("/reports/other")
def other_report():
    name = request.args.get("name", "")
    reject_other("reports", name)
    # the helper checks its other parameter
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(REPORTS, name))


@app.route("/reports/ignored")
def ignored_report():
    name = request.args.get("name", "")
    is_safe_name(name)
    # the predicate's answer is thrown away
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(REPORTS, name))
