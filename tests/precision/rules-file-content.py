# exercises: a file opened on a path from the request is path traversal at open(); what is read from the file is the file's content, not request data, so a query loaded from a vetted file is not SQL injection and the file object does not carry the request's data
import os
import sqlite3

from flask import Flask, jsonify, request
from werkzeug.utils import secure_filename

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)
QUERIES = "/srv/app/queries"


def db():
    return sqlite3.connect("/srv/app/shop.db")


@app.route("/reports/<name>")
def run_report(name):
    path = os.path.join(QUERIES, secure_filename(name) + ".sql")
    with open(path) as fh:
        sql = fh.read()
    # ok: tainted-sql-query
    rows = db().execute(sql).fetchall()
    return jsonify(rows)


@app.route("/reports-raw")
def run_report_raw():
    # ruleid: path-traversal-request-input
    with open(request.args["file"]) as fh:
        sql = fh.read()
    # ok: tainted-sql-query
    rows = db().execute(sql).fetchall()
    return jsonify(rows)


@app.route("/reports/<name>/filtered")
def run_report_filtered(name):
    # ruleid: tainted-sql-query
    rows = db().execute(f"SELECT * FROM reports WHERE name = '{name}'").fetchall()
    return jsonify(rows)

