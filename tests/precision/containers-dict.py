# exercises: dict items with literal keys are tracked one by one: a clean item read next to a tainted one is clean, an assignment replaces an item's old value, .get/.pop/.update/setdefault follow keys, and an unknown key falls back to the whole dict
import os

from flask import Flask, redirect, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)


@app.route("/report/run")
# ruleid: state-change-on-get
def run_report():
    options = {"title": request.args.get("title", ""), "format": "pdf"}
    # ruleid: path-traversal-request-input
    os.remove(options["title"])
    return "started"


@app.route("/report/run-safe")
# ruleid: state-change-on-get
def run_report_safe():
    options = {"title": request.args.get("title", ""), "format": "pdf"}
    # ok: path-traversal-request-input
    os.remove(options["format"])
    return "started"


@app.route("/export")
# ruleid: state-change-on-get
def export():
    settings = {}
    settings["user"] = request.args["user"]
    settings["target"] = "archive"
    # ruleid: path-traversal-request-input
    os.remove(settings.get("user"))
    # ok: path-traversal-request-input
    os.remove(settings.get("target"))
    return "ok"


@app.route("/export-overwritten")
# ruleid: state-change-on-get
def export_overwritten():
    settings = {"target": request.args["target"]}
    # the user's value is replaced before use
    settings["target"] = "archive"
    # ok: path-traversal-request-input
    os.remove(settings["target"])
    return "ok"


@app.route("/export-by-key")
# ruleid: state-change-on-get
def export_by_key():
    settings = {"target": request.args["target"], "mode": "full"}
    key = request.args.get("key", "mode")
    # an unknown key may name any item
    # ruleid: path-traversal-request-input
    os.remove(settings[key])
    return "ok"


@app.route("/go")
def go():
    urls = dict(home="/", profile="/me")
    urls.update({"next": request.args.get("next", "/")})
    # ruleid: open-redirect
    return redirect(urls["next"])


@app.route("/go-safe")
def go_safe():
    urls = dict(home="/", profile="/me")
    urls.update({"next": request.args.get("next", "/")})
    urls.pop("next")
    # ok: open-redirect
    return redirect(urls.get("home"))


@app.route("/go-default")
def go_default():
    urls = {"home": "/"}
    urls.setdefault("back", request.args.get("back", "/"))
    # ok: open-redirect
    return redirect(urls["home"])
