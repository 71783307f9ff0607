# exercises: a pattern rule deferring to dataflow (sql-injection-format) proves a query built only from typed route values (Flask <int:>/<uuid:>, FastAPI int/UUID parameters) clean; a text route value still makes it report
import sqlite3
import uuid

from fastapi import FastAPI
from flask import Flask

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)
api = FastAPI()
db = sqlite3.connect("shop.db")


@app.route("/orders/<int:order_id>")
def order(order_id):
    cur = db.cursor()
    # ok: sql-injection-format
    cur.execute("SELECT id, total FROM orders WHERE id = %d" % order_id)
    return {"order": cur.fetchone()}


@app.route("/orders/<int:order_id>/lines/<int:line_no>")
def order_line(order_id, line_no):
    cur = db.cursor()
    query = "SELECT sku, qty FROM order_lines WHERE order_id = {} AND line_no = {}".format(order_id, line_no)
    # ok: sql-injection-format
    cur.execute(query)
    return {"line": cur.fetchone()}


@app.route("/customers/<uuid:customer_id>")
def customer(customer_id):
    cur = db.cursor()
    # ok: sql-injection-format
    cur.execute(f"SELECT name FROM customers WHERE id = '{customer_id}'")
    return {"customer": cur.fetchone()}


@app.route("/customers/by-name/<name>")
def customer_by_name(name):
    cur = db.cursor()
    # ruleid: tainted-sql-query
    cur.execute("SELECT id FROM customers WHERE name = '%s'" % name)
    return {"customer": cur.fetchone()}


@api.get("/invoices/{invoice_id}")
def invoice(invoice_id: int, ref: uuid.UUID):
    cur = db.cursor()
    # ok: sql-injection-format
    cur.execute(f"SELECT * FROM invoices WHERE id = {invoice_id} AND ref = '{ref}'")
    return {"invoice": cur.fetchone()}
