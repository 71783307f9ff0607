# exercises: a file name rejected when it holds ".." (or "../", alone or with other rejections such as an absolute path) before it is used as a path is clean; a name checked without stopping, or not checked, is path traversal
import os

from flask import Flask, abort, request, send_file

# ruleid: flask-csrf-protection-missing, flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)

REPORTS = "/srv/reports"


@app.route("/reports/download")
def download_report():
    name = request.args.get("name", "")
    if ".." in name or name.startswith("/"):
        abort(400)
    # ok: path-traversal-request-input
    return send_file(os.path.join(REPORTS, name))


@app.route("/reports/delete", methods=["POST"])
def delete_report():
    name = request.form["name"]
    if "../" in name:
        return "invalid name", 400
    # ok: path-traversal-request-input
    os.remove(os.path.join(REPORTS, name))
    return "deleted"


@app.route("/reports/view")
def view_report():
    name = request.args.get("name", "")
    if ".." not in name:
        # ok: path-traversal-request-input
        with open(os.path.join(REPORTS, name)) as fh:
            return fh.read()
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(REPORTS, name))


@app.route("/reports/raw")
def raw_report():
    name = request.args.get("name", "")
    if name.startswith("/"):
        abort(400)
    # an absolute path is refused, but "../" is not
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(REPORTS, name))


def reject_traversal(name):
    if ".." in name:
        raise ValueError("invalid name")


@app.route("/reports/archive")
def archive_report():
    name = request.args.get("name", "")
    reject_traversal(name)
    # the check is in a helper that raises (tests/precision/guards-helper-functions.py has more)
    # ok: path-traversal-request-input
    return send_file(os.path.join(REPORTS, name))
