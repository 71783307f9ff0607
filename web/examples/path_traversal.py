"""DocDrop: a Flask portal where customers download invoices and upload document bundles."""
import os
import tarfile
import tempfile

from flask import Flask, abort, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)

BASE_DIR = "/srv/docdrop"
INVOICE_DIR = os.path.join(BASE_DIR, "invoices")
UPLOAD_DIR = os.path.join(BASE_DIR, "uploads")


@app.route("/invoices/download")
def download_invoice():
    name = request.args.get("file")
    if not name or not name.endswith(".pdf"):
        abort(400)
    return send_file(os.path.join(INVOICE_DIR, name), as_attachment=True)


@app.route("/notes")
def read_note():
    note = request.args.get("name", "readme.txt")
    with open(os.path.join(BASE_DIR, "notes", note)) as fh:
        return fh.read(), 200, {"Content-Type": "text/plain"}


@app.route("/logs/<day>")
def show_log(day):
    with open(BASE_DIR + "/logs/" + request.args.get("service", "web") + "-" + day) as fh:
        return fh.read()


@app.route("/bundles", methods=["POST"])
def upload_bundle():
    bundle = request.files["bundle"]
    staging = tempfile.mktemp(suffix=".tar.gz", dir=UPLOAD_DIR)
    bundle.save(staging)
    target = os.path.join(UPLOAD_DIR, secure_filename(bundle.filename).split(".")[0])
    os.makedirs(target, exist_ok=True)
    with tarfile.open(staging, "r:gz") as archive:
        archive.extractall(target)
    os.chmod(target, 0o777)
    os.remove(staging)
    return {"extracted_to": target, "files": os.listdir(target)}


@app.route("/avatars", methods=["POST"])
def upload_avatar():
    image = request.files["avatar"]
    filename = secure_filename(image.filename)
    image.save(os.path.join(UPLOAD_DIR, "avatars", filename))
    return {"saved": filename}


@app.route("/avatars/<path:filename>")
def get_avatar(filename):
    return send_from_directory(os.path.join(UPLOAD_DIR, "avatars"), filename)


if __name__ == "__main__":
    app.run()
