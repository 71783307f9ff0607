# exercises: a flow into a helper's sink is reported at the one call that passes request data in; the helper's other, safe callers give nothing
import os

import requests
from flask import Flask, jsonify, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)
REPORTS = "/srv/reports"
DEFAULT_REPORT = "summary.txt"


def read_report(name):
    # ok: path-traversal-request-input
    with open(os.path.join(REPORTS, name)) as f:
        return f.read()


def fetch_json(url):
    # ok: server-side-request-forgery
    return requests.get(url, timeout=5).json()


@app.route("/reports/default")
def default_report():
    # ok: path-traversal-request-input
    return read_report(DEFAULT_REPORT)


@app.route("/reports/weekly")
def weekly_report():
    # ok: path-traversal-request-input
    return read_report("weekly.txt")


@app.route("/reports/view")
def view_report():
    name = request.args.get("name", "")
    # ruleid: path-traversal-request-input
    return read_report(name)


@app.route("/rates")
def rates():
    # ok: server-side-request-forgery
    return jsonify(fetch_json("https://api.example.com/rates"))


@app.route("/proxy")
def proxy():
    target = request.args["url"]
    # ruleid: server-side-request-forgery
    return jsonify(fetch_json(target))
