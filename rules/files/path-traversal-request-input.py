import os

from django.http import FileResponse, HttpResponse
from flask import Flask, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOAD_DIR = "/srv/app/uploads"
REPORT_DIR = "/srv/app/reports"


@app.route("/raw")
def raw_file():
    # ruleid: path-traversal-request-input
    with open(request.args.get("path")) as fh:
        return fh.read()


@app.route("/download")
def download():
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(UPLOAD_DIR, request.args["name"]))


@app.route("/report")
def report():
    # ruleid: path-traversal-request-input
    with open(REPORT_DIR + "/" + request.args["report"], encoding="utf-8") as fh:
        return fh.read()


@app.route("/avatar", methods=["POST"])
def save_avatar():
    filename = request.files["avatar"].filename
    # ruleid: path-traversal-request-input
    with open(os.path.join(UPLOAD_DIR, filename), "wb") as fh:
        fh.write(request.files["avatar"].read())
    return "saved"


@app.route("/export")
def export():
    name = request.args.get("name", "latest.csv")
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(REPORT_DIR, name), as_attachment=True)


def django_log_view(request):
    log_name = request.GET["log"]
    # ruleid: path-traversal-request-input
    return FileResponse(open("/var/log/app/" + log_name, "rb"))


@app.route("/download-safe")
def download_safely():
    # ok: path-traversal-request-input
    return send_from_directory(UPLOAD_DIR, request.args["name"])


@app.route("/avatar-safe", methods=["POST"])
def save_avatar_safely():
    filename = secure_filename(request.files["avatar"].filename)
    # ok: path-traversal-request-input
    with open(os.path.join(UPLOAD_DIR, filename), "wb") as fh:
        fh.write(request.files["avatar"].read())
    return "saved"


@app.route("/report-safe")
def report_safely():
    # ok: path-traversal-request-input
    with open(os.path.join(REPORT_DIR, os.path.basename(request.args["report"]))) as fh:
        return fh.read()


def django_log_view_safely(request):
    log_name = os.path.basename(request.GET["log"])
    # ok: path-traversal-request-input
    with open(os.path.join("/var/log/app", log_name), "rb") as fh:
        return HttpResponse(fh.read(), content_type="text/plain")


@app.route("/export-safe")
def export_safely():
    name = request.args.get("name", "latest.csv")
    name = secure_filename(name)
    # ok: path-traversal-request-input
    return send_file(os.path.join(REPORT_DIR, name), as_attachment=True)


@app.route("/static-report")
def static_report():
    # ok: path-traversal-request-input
    with open(os.path.join(REPORT_DIR, "summary.txt")) as fh:
        return fh.read()
