# exercises: control flow: a value chosen in a loop and kept by `break`, `continue` back to the loop head, loop `else:`, loops to a fixed point, exceptions from anywhere in a `try` body, `finally:` and `with` blocks
import os
import subprocess
from contextlib import suppress

from flask import Flask, redirect, request, send_file

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)

COMMON_HEADERS = {"Host", "Accept", "User-Agent", "Content-Length"}
REPORTS = {"daily": "/srv/reports/daily.pdf", "weekly": "/srv/reports/weekly.pdf"}


@app.route("/debug/header")
def first_custom_header():
    param = ""
    for name in request.headers.keys():
        if name in COMMON_HEADERS:
            continue
        param = name
        break
    # ruleid: path-traversal-request-input
    return send_file(f"/srv/header-docs/{param}.html")


@app.route("/debug/header-safe")
def first_custom_header_safe():
    param = ""
    for name in request.headers.keys():
        if name in COMMON_HEADERS:
            continue
        param = "custom"
        break
    # ok: path-traversal-request-input
    return send_file(f"/srv/header-docs/{param}.html")


@app.route("/form/pick")
def pick_form_field():
    chosen = "/srv/reports/empty.pdf"
    for key in request.form.keys():
        if key.startswith("report_"):
            chosen = request.form[key]
            break
    # ruleid: path-traversal-request-input
    return send_file(chosen)


@app.route("/form/pick-safe")
def pick_form_field_safe():
    chosen = "/srv/reports/empty.pdf"
    for key in request.form.keys():
        if key in REPORTS:
            chosen = REPORTS[key]
            break
    # ok: path-traversal-request-input
    return send_file(chosen)


@app.route("/next")
def next_page():
    target = "/"
    while True:
        target = request.args.get("next", "/")
        if target.startswith("/"):
            break
        target = "/home"
        break
    # ruleid: open-redirect
    return redirect(target)


@app.route("/next-safe")
def next_page_safe():
    while True:
        target = request.args.get("next", "/")
        if target in ("/", "/home", "/account"):
            target = "/" + target.strip("/")
        target = "/home"
        break
    # ok: open-redirect
    return redirect(target)


@app.route("/grep")
def grep_logs():
    pattern = "error"
    for arg in request.args.getlist("q"):
        if not arg:
            continue
        pattern = arg
    else:
        # The loop ran to its end: the last non-empty term is kept.
        # ruleid: tainted-os-command
        os.system(pattern)
    return "ok"


@app.route("/grep-safe")
def grep_logs_safe():
    for arg in request.args.getlist("q"):
        if arg:
            pattern = arg
            break
    else:
        pattern = "error"
    pattern = "warning"
    # ok: tainted-os-command
    os.system(pattern)
    return "ok"


@app.route("/rotate")
def rotate():
    newest, previous, oldest = "a.log", "b.log", "c.log"
    for _ in range(3):
        oldest = previous
        previous = newest
        newest = request.args.get("log", "a.log")
    # ruleid: path-traversal-request-input
    return send_file(oldest)


@app.route("/rotate-safe")
def rotate_safe():
    newest, previous, oldest = "a.log", "b.log", "c.log"
    for _ in range(3):
        oldest = previous
        previous = newest
        newest = "d.log"
    # ok: path-traversal-request-input
    return send_file(oldest)


@app.route("/convert")
def convert():
    value = "0"
    try:
        value = request.args["n"]
        value = str(int(value))
    except ValueError:
        # The exception comes from int(): the raw value is still there.
        # ruleid: tainted-os-command
        subprocess.call(value, shell=True)
    return "converted"


@app.route("/convert-safe")
def convert_safe():
    try:
        value = str(int(request.args["n"]))
    except ValueError:
        value = "0"
    # ok: path-traversal-request-input
    return send_file("/srv/numbers/" + value)


@app.route("/cleanup")
def cleanup():
    name = request.args.get("name", "tmp")
    try:
        return "removed"
    finally:
        # ruleid: tainted-os-command
        os.system(name)


@app.route("/cleanup-safe")
def cleanup_safe():
    name = "tmp"
    try:
        return "removed"
    finally:
        # ok: tainted-os-command
        os.system(name)


@app.route("/optional")
def optional_field():
    where = "/srv/default.txt"
    with suppress(KeyError):
        where = request.form["where"]
        where = REPORTS[where]
    # ruleid: path-traversal-request-input
    return send_file(where)


@app.route("/optional-safe")
def optional_field_safe():
    where = "/srv/default.txt"
    with open("/srv/audit.log", "a") as log:
        where = request.form["where"]
        log.write("asked\n")
        where = "/srv/default.txt"
    # ok: path-traversal-request-input
    return send_file(where)
