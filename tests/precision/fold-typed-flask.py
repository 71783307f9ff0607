# exercises: Flask route values converted by <int:>, <float:>, <uuid:> or <any(...):> are not text and carry no injection; <name> and <path:> values do
import os
import subprocess

from flask import Flask, request, send_file

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)

INVOICES = "/srv/invoices"


@app.route("/invoices/<int:invoice_id>")
def invoice(invoice_id):
    # ok: path-traversal-request-input
    return send_file(os.path.join(INVOICES, "%d.pdf" % invoice_id))


@app.route("/invoices/by-name/<name>")
def invoice_by_name(name):
    # ruleid: path-traversal-request-input
    return send_file(os.path.join(INVOICES, name + ".pdf"))


@app.route("/shipments/<uuid:shipment_id>/label")
def shipment_label(shipment_id):
    # ok: path-traversal-request-input
    return send_file(f"/srv/labels/{shipment_id}.png")


@app.route("/thumbs/<int:width>/<path:image>")
def thumbnail(width, image):
    # ruleid: tainted-os-command
    out = subprocess.check_output(["sh", "-c", f"convert -resize {width} /srv/img/{image} png:-"])
    return out


@app.route("/thumbs/<int:width>/<any(small, large):size>")
def thumbnail_preset(width, size):
    # ok: tainted-os-command
    out = subprocess.check_output(["sh", "-c", f"convert -resize {width} /srv/img/{size}.png png:-"])
    return out


@app.route("/scale/<float:factor>")
def scale(factor):
    # ok: reflected-xss
    return f"<p>Scaled by {factor}</p>"


@app.route("/scale/by-label/<label>")
def scale_label(label):
    # ruleid: reflected-xss
    return f"<p>Scaled by {label}</p>"


@app.route("/convert")
def convert_units():
    amount = float(request.args.get("amount", "0"))
    # ok: reflected-xss
    return f"<p>{amount} km</p>"
