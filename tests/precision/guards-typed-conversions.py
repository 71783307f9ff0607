# exercises: a value parsed by int(), float(), uuid.UUID() or bool() carries no string taint into SQL, shell or path sinks; the same value used as a string is injection
import os
import sqlite3
import subprocess
import uuid

from flask import Flask, jsonify, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)

EXPORTS = "/srv/exports"


def db():
    return sqlite3.connect("shop.db")


@app.route("/orders")
def orders():
    limit = int(request.args.get("limit", "10"))
    query = "SELECT id, total FROM orders ORDER BY id DESC LIMIT " + str(limit)
    # int() leaves no text to inject: neither the taint rule nor the pattern rule reports it
    # ok: tainted-sql-query
    # ok: sql-injection-format
    rows = db().execute(query).fetchall()
    return jsonify(rows)


@app.route("/orders-raw")
def orders_raw():
    limit = request.args.get("limit", "10")
    query = "SELECT id, total FROM orders ORDER BY id DESC LIMIT " + limit
    # ruleid: tainted-sql-query
    rows = db().execute(query).fetchall()
    return jsonify(rows)


@app.route("/exports/<export_id>")
def export_file(export_id):
    key = uuid.UUID(export_id)
    # ok: path-traversal-request-input
    with open(os.path.join(EXPORTS, f"{key}.csv")) as fh:
        return fh.read()


@app.route("/exports/raw/<export_id>")
def export_file_raw(export_id):
    # ruleid: path-traversal-request-input
    with open(os.path.join(EXPORTS, f"{export_id}.csv")) as fh:
        return fh.read()


@app.route("/resize")
def resize():
    scale = float(request.args.get("scale", "1.0"))
    verbose = bool(request.args.get("verbose"))
    argv = ["sh", "-c", f"convert in.png -resize {scale * 100}% out.png"]
    if verbose:
        argv[2] += " -verbose"
    # ok: tainted-os-command
    subprocess.run(argv, check=True)
    return "ok"


@app.route("/resize-raw")
def resize_raw():
    scale = request.args.get("scale", "1.0")
    # ruleid: tainted-os-command
    subprocess.run(["sh", "-c", f"convert in.png -resize {scale} out.png"], check=True)
    return "ok"
