# exercises: os.path.exists/isfile/getsize and pathlib exists()/is_file() on a path built from request data probe the file system (path traversal, CWE-22); the same probes on a secure_filename() or a resolved and contained path are not
import os
from pathlib import Path

from django.http import JsonResponse
from flask import Flask, abort, jsonify, request, send_file
from werkzeug.utils import secure_filename

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)
AVATARS = "/srv/app/avatars"
EXPORTS = Path("/srv/app/exports").resolve()


@app.route("/avatars/check")
def avatar_exists():
    name = request.args["name"]
    # ruleid: path-traversal-request-input
    return jsonify(exists=os.path.exists(os.path.join(AVATARS, name)))


@app.route("/avatars/check-safe")
def avatar_exists_safe():
    name = secure_filename(request.args["name"])
    # ok: path-traversal-request-input
    return jsonify(exists=os.path.exists(os.path.join(AVATARS, name)))


@app.route("/exports/<path:rel>/size")
def export_size(rel):
    target = EXPORTS / rel
    # ruleid: path-traversal-request-input
    if not target.is_file():
        abort(404)
    return jsonify(found=True)


@app.route("/exports/<path:rel>/size-safe")
def export_size_safe(rel):
    target = (EXPORTS / rel).resolve()
    if not target.is_relative_to(EXPORTS):
        abort(403)
    # ok: path-traversal-request-input
    if not target.is_file():
        abort(404)
    return jsonify(size=target.stat().st_size)


def django_report_status(request):
    path = "/srv/app/reports/" + request.GET["report"]
    # ruleid: path-traversal-request-input
    ready = os.path.isfile(path)
    return JsonResponse({"ready": ready})


def django_report_status_safe(request):
    path = os.path.join("/srv/app/reports", os.path.basename(request.GET["report"]))
    # ok: path-traversal-request-input
    ready = os.path.isfile(path)
    return JsonResponse({"ready": ready})
