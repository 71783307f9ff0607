# exercises: a query built from request data by string formatting is SQL injection; the same query with bound parameters is not
import sqlite3

from flask import Flask, jsonify, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)


def db():
    return sqlite3.connect("shop.db")


@app.route("/products/search")
def search_products():
    term = request.args.get("q", "")
    cur = db().cursor()
    # ruleid: tainted-sql-query
    cur.execute("SELECT id, name FROM products WHERE name LIKE '%" + term + "%'")
    return jsonify(cur.fetchall())


@app.route("/products/search-safe")
def search_products_safe():
    term = request.args.get("q", "")
    cur = db().cursor()
    # ok: tainted-sql-query
    cur.execute("SELECT id, name FROM products WHERE name LIKE ?", (f"%{term}%",))
    return jsonify(cur.fetchall())
