import io
import os
import shutil
import tarfile
import zipfile
from pathlib import Path

from django.http import FileResponse, HttpResponse
from fastapi import FastAPI
from flask import Flask, abort, request, send_file, send_from_directory
from openai import OpenAI
from werkzeug.utils import secure_filename

app = Flask(__name__)
api = FastAPI()
client = OpenAI()
UPLOAD_DIR = "/srv/app/uploads"
REPORT_DIR = "/srv/app/reports"
BASE_DIR = Path("/srv/app/documents").resolve()


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


@app.route("/upload", methods=["POST"])
def upload():
    upload = request.files["document"]
    # ruleid: path-traversal-request-input
    upload.save(os.path.join(UPLOAD_DIR, upload.filename))
    return "ok"


@app.route("/export")
def export():
    name = request.args.get("name", "latest.csv")
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(REPORT_DIR, name), as_attachment=True)


def django_log_view(request):
    log_name = request.GET.get("log", "app.log")
    # ruleid: path-traversal-request-input
    return FileResponse(open("/var/log/app/" + log_name, "rb"))


def django_attachment_view(request):
    # `request.GET` subscripted off a parameter (once a known miss, a `todoruleid`)
    attachment = request.GET["file"]
    # ruleid: path-traversal-request-input
    return FileResponse(open(os.path.join("/srv/attachments", attachment), "rb"))


# --- moved through a helper function, a dict and an f-string --------------------------------


def report_path(name):
    return os.path.join(REPORT_DIR, name)


@app.route("/report/<name>")
def report_by_name(name):
    path = report_path(name)
    # ruleid: path-traversal-request-input
    return send_file(path)


def read_document(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


@app.route("/document")
def document():
    # ruleid: path-traversal-request-input
    return read_document(os.path.join(UPLOAD_DIR, request.args["doc"]))


@app.route("/invoice")
def invoice():
    params = {"year": request.args["year"], "number": request.args["number"]}
    target = f"{REPORT_DIR}/invoices/{params['year']}/{params['number']}.pdf"
    # ruleid: path-traversal-request-input
    return send_file(target, mimetype="application/pdf")


# --- other file APIs -------------------------------------------------------------------------


@app.route("/files/<path:name>", methods=["DELETE"])
def delete_file(name):
    # ruleid: path-traversal-request-input
    os.remove(os.path.join(UPLOAD_DIR, name))
    return "", 204


@app.route("/projects", methods=["DELETE"])
def delete_project():
    project = request.form["project"]
    # ruleid: path-traversal-request-input
    shutil.rmtree(Path(UPLOAD_DIR) / project)
    return "", 204


@app.route("/notes", methods=["POST"])
def save_note():
    note = BASE_DIR / request.form["title"]
    # ruleid: path-traversal-request-input
    note.write_text(request.form["body"], encoding="utf-8")
    return "saved"


@app.route("/notes/view")
def view_note():
    # the check is textual: "../../etc/passwd" is "relative to" BASE_DIR until resolved
    note = BASE_DIR / request.args["title"]
    if not note.is_relative_to(BASE_DIR):
        abort(404)
    # ruleid: path-traversal-request-input
    return note.read_text(encoding="utf-8")


@app.route("/archive")
def open_archive():
    # ruleid: path-traversal-request-input
    with tarfile.open(os.path.join(UPLOAD_DIR, request.args["archive"])) as tar:
        return "\n".join(tar.getnames())


@api.get("/exports/{name}")
async def fastapi_export(name: str):
    # ruleid: path-traversal-request-input
    with open(f"/srv/exports/{name}.csv") as fh:
        return fh.read()


@app.route("/assistant/save", methods=["POST"])
def save_assistant_answer():
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": request.form["q"]}])
    filename = reply.choices[0].message.content.strip()
    # ruleid: path-traversal-request-input
    with open(os.path.join(REPORT_DIR, filename), "w") as fh:
        fh.write("generated")
    return "ok"


# --- safe ------------------------------------------------------------------------------------


@app.route("/download-safe")
def download_safely():
    # ok: path-traversal-request-input
    return send_from_directory(UPLOAD_DIR, request.args["name"])


@app.route("/download-from")
def download_from_user_dir():
    # ruleid: path-traversal-request-input
    return send_from_directory(request.args["dir"], "index.html")


@app.route("/avatar-safe", methods=["POST"])
def save_avatar_safely():
    filename = secure_filename(request.files["avatar"].filename)
    # ok: path-traversal-request-input
    with open(os.path.join(UPLOAD_DIR, filename), "wb") as fh:
        fh.write(request.files["avatar"].read())
    return "saved"


@app.route("/upload-safe", methods=["POST"])
def upload_safely():
    upload = request.files["document"]
    # ok: path-traversal-request-input
    upload.save(os.path.join(UPLOAD_DIR, secure_filename(upload.filename)))
    return "ok"


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


@app.route("/report-by-id")
def report_by_id():
    report_id = int(request.args["id"])
    # ok: path-traversal-request-input
    return send_file(os.path.join(REPORT_DIR, f"{report_id}.pdf"))


@app.route("/overwritten")
def overwritten():
    name = request.args.get("name")
    name = "default.txt"
    # ok: path-traversal-request-input
    return send_file(os.path.join(REPORT_DIR, name))


@app.route("/debug-dump")
def debug_dump():
    path = os.path.join(REPORT_DIR, "summary.txt")
    if False:
        path = request.args["path"]
    # ok: path-traversal-request-input
    return send_file(path)


@app.route("/notes/view-safe")
def view_note_safely():
    note = (BASE_DIR / request.args["title"]).resolve()
    if not note.is_relative_to(BASE_DIR):
        abort(404)
    # ok: path-traversal-request-input
    return note.read_text(encoding="utf-8")


@app.route("/notes/view-checked")
def view_note_checked():
    note = BASE_DIR / request.args["title"]
    if note.resolve().is_relative_to(BASE_DIR):
        # ok: path-traversal-request-input
        return note.read_text(encoding="utf-8")
    abort(404)


@app.route("/logs")
def read_log():
    full = os.path.realpath(os.path.join(REPORT_DIR, request.args["file"]))
    if not full.startswith(REPORT_DIR + os.sep):
        return "forbidden", 403
    # ok: path-traversal-request-input
    return send_file(full)


@app.route("/logs-checked")
def read_log_checked():
    candidate = os.path.join(REPORT_DIR, request.args["file"])
    if os.path.realpath(candidate).startswith(REPORT_DIR + os.sep):
        # ok: path-traversal-request-input
        with open(candidate) as fh:
            return fh.read()
    abort(403)


@app.route("/logs-common")
def read_log_common():
    full = os.path.abspath(os.path.join(REPORT_DIR, request.args["file"]))
    if os.path.commonpath([REPORT_DIR, full]) != REPORT_DIR:
        abort(403)
    # ok: path-traversal-request-input
    return send_file(full)


@app.route("/logs-unchecked")
def read_log_unchecked():
    # startswith on a path that was never normalised: "/srv/app/reports/../../etc/passwd"
    full = os.path.join(REPORT_DIR, request.args["file"])
    if not full.startswith(REPORT_DIR):
        abort(403)
    # ruleid: path-traversal-request-input
    return send_file(full)


@app.route("/bundle", methods=["POST"])
def read_bundle():
    # ok: path-traversal-request-input
    with zipfile.ZipFile(io.BytesIO(request.get_data())) as bundle:
        return "\n".join(bundle.namelist())


@app.route("/bundle/upload", methods=["POST"])
def read_uploaded_bundle():
    upload = request.files["bundle"]
    # ok: path-traversal-request-input
    with zipfile.ZipFile(upload) as bundle:
        return "\n".join(bundle.namelist())


@app.route("/bundle/contents")
def bundle_contents():
    bundle_path = os.path.join(UPLOAD_DIR, request.args["bundle"])
    # ruleid: path-traversal-request-input
    with zipfile.ZipFile(bundle_path) as bundle:
        return "\n".join(bundle.namelist())


@app.route("/notes")
def read_note():
    name = request.args["name"]
    if ".." in name or name.startswith("/"):
        abort(400)
    # ok: path-traversal-request-input
    return send_file(os.path.join(UPLOAD_DIR, name))


@app.route("/notes/checked")
def read_note_checked():
    name = request.args["name"]
    if "../" not in name:
        # ok: path-traversal-request-input
        return send_file(os.path.join(UPLOAD_DIR, name))
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(UPLOAD_DIR, name))


# ---- file probing: whether a file exists, and its size ---------------------------------


@app.route("/exists")
def file_exists():
    name = request.args["name"]
    # ruleid: path-traversal-request-input
    return {"exists": os.path.exists(os.path.join(UPLOAD_DIR, name))}


@app.route("/size")
def file_size():
    target = os.path.join(REPORT_DIR, request.args["report"])
    # ruleid: path-traversal-request-input
    if not os.path.isfile(target):
        abort(404)
    # ruleid: path-traversal-request-input
    return {"size": os.path.getsize(target)}


@app.route("/exists/safe")
def file_exists_safe():
    name = secure_filename(request.args["name"])
    # ok: path-traversal-request-input
    return {"exists": os.path.exists(os.path.join(UPLOAD_DIR, name))}


@app.route("/doc/exists")
def doc_exists():
    # ruleid: path-traversal-request-input
    return {"exists": (BASE_DIR / request.args["doc"]).exists()}


@app.route("/doc/is-file")
def doc_is_file():
    doc = Path(REPORT_DIR) / request.args["doc"]
    # ruleid: path-traversal-request-input
    return {"file": doc.is_file()}


@app.route("/doc/checked")
def doc_checked():
    doc = (BASE_DIR / request.args["doc"]).resolve()
    if not doc.is_relative_to(BASE_DIR):
        abort(403)
    # ok: path-traversal-request-input
    return {"exists": doc.exists()}


def orders_exist(request):
    # A query set's exists() is not a file probe.
    # ok: path-traversal-request-input
    return HttpResponse(str(Order.objects.filter(ref=request.GET["ref"]).exists()))


@app.route("/by-query")
def by_query():
    # ruleid: path-traversal-request-input
    return send_file(request.query_string.decode())


# FastAPI: FileResponse streams whatever path it is given.
from fastapi import FastAPI
from fastapi.responses import FileResponse as FastFileResponse

api = FastAPI()


@api.get("/reports/{name}")
def report(name: str):
    # ruleid: path-traversal-request-input
    return FastFileResponse(f"/srv/reports/{name}")


@api.get("/exports")
def export(path: str):
    # ruleid: path-traversal-request-input
    return FastFileResponse(path=path, media_type="text/csv")


@api.get("/safe-reports/{name}")
def safe_report(name: str):
    # ok: path-traversal-request-input
    return FastFileResponse(os.path.join("/srv/reports", os.path.basename(name)))


@api.get("/logo")
def logo():
    # ok: path-traversal-request-input
    return FastFileResponse("static/logo.png")
