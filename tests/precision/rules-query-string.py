# exercises: the raw query string (request.query_string) is request data, like request.args; a constant in its place is not
import os
import subprocess

from flask import Flask, redirect, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)


@app.route("/legacy/search")
def legacy_search():
    raw = request.query_string.decode("utf-8")
    # ruleid: tainted-os-command
    out = subprocess.check_output("grep -r '" + raw + "' /srv/app/docs", shell=True)
    return out.decode(), 200, {"Content-Type": "text/plain"}


@app.route("/legacy/search-safe")
def legacy_search_safe():
    raw = request.query_string.decode("utf-8")
    # ok: tainted-os-command
    out = subprocess.check_output(["grep", "-r", "--", raw, "/srv/app/docs"])
    return out.decode(), 200, {"Content-Type": "text/plain"}


@app.route("/legacy/forward")
def legacy_forward():
    # ruleid: open-redirect
    return redirect(request.query_string.decode())


@app.route("/legacy/forward-safe")
def legacy_forward_safe():
    query = request.query_string.decode()
    # ok: open-redirect
    return redirect("/search?" + query)
