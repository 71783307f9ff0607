# exercises: the request object travels: aliased, passed to a helper, stored on self, wrapped in a small class; what is read from its data attributes is request data, its other attributes and helpers returning constants are not
import os
import subprocess

from flask import Flask, redirect, request, send_file
from flask.views import MethodView

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)


def arg(req, name, default=""):
    return req.args.get(name, default)


def form_field(req, name):
    return req.form[name]


def client_lang(req):
    return "en"


def http_verb(req):
    return req.method


@app.route("/alias/download")
def alias_download():
    rq = request
    name = rq.args.get("file", "index.txt")
    # ruleid: path-traversal-request-input
    return send_file(os.path.join("/srv/files", name))


@app.route("/alias/download-safe")
def alias_download_safe():
    rq = request
    verb = rq.method
    # ok: path-traversal-request-input
    return send_file(os.path.join("/srv/files", verb.lower() + ".txt"))


@app.route("/helper/next")
def helper_next():
    target = arg(request, "next", "/")
    # ruleid: open-redirect
    return redirect(target)


@app.route("/helper/next-safe")
def helper_next_safe():
    lang = client_lang(request)
    # ok: open-redirect
    return redirect("/" + lang + "/home")


@app.route("/helper/export", methods=["POST"])
def helper_export():
    fmt = form_field(request, "format")
    # ruleid: tainted-os-command
    subprocess.call("export-report --format " + fmt, shell=True)
    return "queued"


@app.route("/helper/export-safe", methods=["POST"])
def helper_export_safe():
    verb = http_verb(request)
    # ok: path-traversal-request-input
    return send_file("/srv/exports/" + verb + ".csv")


class Input:
    """A small wrapper the views read their parameters through."""

    def __init__(self, r):
        self.r = r

    def get(self, key, default=""):
        return self.r.args.get(key, default)

    def json_field(self, key):
        return self.r.get_json()[key]

    def site(self):
        return "shop"

    def verb(self):
        return self.r.method


@app.route("/wrapped/open")
def wrapped_open():
    inp = Input(request)
    path = inp.get("path")
    # ruleid: path-traversal-request-input
    return send_file(path)


@app.route("/wrapped/api", methods=["POST"])
def wrapped_api():
    inp = Input(request)
    url = inp.json_field("callback")
    # ruleid: open-redirect
    return redirect(url)


@app.route("/wrapped/open-safe")
def wrapped_open_safe():
    inp = Input(request)
    site = inp.site()
    # ok: path-traversal-request-input
    return send_file("/srv/sites/" + site + "/index.html")


@app.route("/wrapped/verb-safe")
def wrapped_verb_safe():
    inp = Input(request)
    # ok: open-redirect
    return redirect("/" + inp.verb().lower())


class ReportView(MethodView):
    def __init__(self):
        self.req = request

    def get(self):
        report = self.req.args["report"]
        # ruleid: path-traversal-request-input
        return send_file("/srv/reports/" + report)

    def head(self):
        verb = self.req.method
        # ok: path-traversal-request-input
        return send_file("/srv/reports/" + verb.lower() + ".txt")


app.add_url_rule("/reports", view_func=ReportView.as_view("reports"))
