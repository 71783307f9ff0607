# exercises: constant folding of a match statement whose subject is a known constant (string indexing, slicing and methods on literals): only the case that matches runs
import os

from flask import Flask, request, send_file

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)

EXPORTS = "/srv/exports"
EXPORT_FORMAT = "csv"


@app.route("/export/b")
def export_b():
    param = request.headers.get("X-Export-Name", "")
    guess = "ABC"[1]
    match guess:
        case "A":
            bar = param
        case "B":
            bar = "export.csv"
        case "C" | "D":
            bar = param
        case _:
            bar = "default.csv"
    # ok: path-traversal-request-input
    return send_file(os.path.join(EXPORTS, bar))


@app.route("/export/c")
def export_c():
    param = request.headers.get("X-Export-Name", "")
    guess = "ABC"[2]
    match guess:
        case "A":
            bar = "a.csv"
        case "B":
            bar = "export.csv"
        case "C" | "D":
            bar = param
        case _:
            bar = "default.csv"
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(EXPORTS, bar))


@app.route("/export/format")
def export_format():
    name = request.args.get("file", "")
    match EXPORT_FORMAT:
        case "xml":
            path = name
        case "csv":
            path = "report.csv"
    # ok: path-traversal-request-input
    return send_file(os.path.join(EXPORTS, path))


@app.route("/export/any")
def export_any():
    name = request.args.get("file", "")
    kind = "report-2024"[0:6]
    match kind:
        case "report":
            path = name
        case "invoice":
            path = "invoice.csv"
        case other:
            path = "unknown.csv"
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(EXPORTS, path))


@app.route("/export/default")
def export_default():
    name = request.args.get("file", "")
    kind = " ARCHIVE ".strip().lower()
    match kind:
        case "report":
            path = name
        case _:
            path = "archive.zip"
    # ok: path-traversal-request-input
    return send_file(os.path.join(EXPORTS, path))
