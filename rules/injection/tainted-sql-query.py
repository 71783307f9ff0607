import sqlite3
import sys

import pandas as pd
import sqlalchemy
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request
from openai import OpenAI
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from myapp.models import Account, Person, accounts_table

app = Flask(__name__)
api = FastAPI()
engine = create_engine("sqlite:///app.db")
llm = OpenAI()


def get_db():
    return sqlite3.connect("app.db")


# ---- Flask ------------------------------------------------------------------------


@app.route("/users")
def find_user():
    name = request.args.get("name", "")
    cur = get_db().cursor()
    # ruleid: tainted-sql-query
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    return jsonify(cur.fetchall())


@app.route("/users/safe")
def find_user_safe():
    name = request.args.get("name", "")
    cur = get_db().cursor()
    # ok: tainted-sql-query
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    return jsonify(cur.fetchall())


@app.route("/users/<user_id>")
def show_user(user_id):
    db = get_db()
    # ruleid: tainted-sql-query
    row = db.execute("SELECT * FROM users WHERE id = " + user_id).fetchone()
    return jsonify(row)


@app.route("/orders")
def list_orders():
    # Converted to a number: nothing left to inject.
    customer = int(request.args["customer"])
    db = get_db()
    # ok: tainted-sql-query
    rows = db.execute("SELECT * FROM orders WHERE customer_id = %d" % customer).fetchall()
    return jsonify(rows)


@app.route("/orders/bulk", methods=["POST"])
def delete_orders():
    ids = request.get_json()["ids"]
    db = get_db()
    # ok: tainted-sql-query
    db.executemany("DELETE FROM orders WHERE id = ?", [(i,) for i in ids])
    status = request.form["status"]
    # ruleid: tainted-sql-query
    db.executemany("UPDATE orders SET status = '%s' WHERE id = ?" % status, [(i,) for i in ids])
    db.commit()
    return "", 204


# Passed through a helper function of the same file.
def build_search(term, column="title"):
    return "SELECT * FROM books WHERE %s LIKE '%%%s%%'" % (column, term)


@app.route("/books")
def search_books():
    query = build_search(request.args["q"])
    cur = get_db().cursor()
    # ruleid: tainted-sql-query
    cur.execute(query)
    return jsonify(cur.fetchall())


def run_report(db, where):
    return db.execute("SELECT count(*) FROM sales WHERE " + where).fetchone()


@app.route("/report")
def report():
    # ruleid: tainted-sql-query
    return jsonify(run_report(get_db(), request.args["filter"]))


class SalesRepository:
    def __init__(self, db):
        self.db = db

    def totals(self, region):
        # Reported where the request data is passed in (below), not here.
        return self.db.execute(f"SELECT sum(amount) FROM sales WHERE region = '{region}'").fetchone()


@app.route("/report/region")
def report_region():
    # ruleid: tainted-sql-query
    return jsonify(SalesRepository(get_db()).totals(request.args["region"]))


@app.route("/report/fixed")
def report_fixed():
    # The helper with a constant argument: no finding inside the helper for this call.
    return jsonify(run_report(get_db(), "region = 'EU'"))


def id_query(table, value):
    return "SELECT * FROM %s WHERE id = %d" % (table, int(value))


@app.route("/books/<book_id>")
def show_book(book_id):
    db = get_db()
    # The helper converts the value to a number.
    # ok: tainted-sql-query
    return jsonify(db.execute(id_query("books", book_id)).fetchone())


@app.route("/admin/query", methods=["POST"])
def admin_query():
    db = get_db()
    # ruleid: tainted-sql-query
    rows = db.execute(request.form.get("sql")).fetchall()
    # ruleid: tainted-sql-query
    db.execute(request.form.get("cleanup", "SELECT 1"), ())
    return jsonify(rows)


@app.route("/books/recent")
def recent_books():
    order = request.args.get("order", "title")
    # Overwritten with a constant before the query is built.
    order = "published DESC"
    cur = get_db().cursor()
    # ok: tainted-sql-query
    cur.execute("SELECT * FROM books ORDER BY " + order)
    return jsonify(cur.fetchall())


@app.route("/books/debug")
def debug_books():
    table = "books"
    if False:
        table = request.args["table"]
    cur = get_db().cursor()
    # ok: tainted-sql-query
    cur.execute(f"SELECT count(*) FROM {table}")
    return jsonify(cur.fetchone())


@app.route("/books/filter", methods=["POST"])
def filter_books():
    # Moved through a dict, then an f-string.
    filters = {"author": request.form["author"], "limit": 20}
    sql = f"SELECT * FROM books WHERE author = '{filters['author']}' LIMIT {filters['limit']}"
    cur = get_db().cursor()
    # ruleid: tainted-sql-query
    cur.execute(sql)
    return jsonify(cur.fetchall())


@app.route("/books/sort")
def sorted_books():
    column = request.args.get("sort", "title")
    if column not in {"title", "author", "published"}:
        column = "title"
    cur = get_db().cursor()
    # ok: tainted-sql-query
    cur.execute("SELECT * FROM books ORDER BY " + column)
    return jsonify(cur.fetchall())


@app.route("/books/tags")
def books_by_tags():
    tags = request.args.getlist("tag")
    placeholders = ", ".join("?" for _ in tags)
    cur = get_db().cursor()
    # ok: tainted-sql-query
    cur.execute(f"SELECT * FROM books WHERE tag IN ({placeholders})", tags)
    return jsonify(cur.fetchall())


def where_clause(columns):
    return " AND ".join(f"{column} = ?" for column in columns)


@app.route("/orders/search")
def search_orders():
    filters = {"status": request.args.get("status", "open")}
    if request.args.get("customer"):
        filters["customer_id"] = request.args["customer"]
    sql = "SELECT * FROM orders WHERE " + where_clause(filters.keys())
    # Constant column names, values bound as parameters.
    # ok: tainted-sql-query
    rows = get_db().execute(sql, list(filters.values())).fetchall()
    # The keys of the request's own data are chosen by the client.
    sql = "SELECT * FROM orders WHERE " + where_clause(request.args.keys())
    # ruleid: tainted-sql-query
    rows += get_db().execute(sql, list(request.args.values())).fetchall()
    return jsonify(rows)


# ---- SQLAlchemy -------------------------------------------------------------------


@app.route("/accounts")
def find_account():
    email = request.args["email"]
    with engine.connect() as conn:
        # ruleid: tainted-sql-query
        stmt = text(f"SELECT * FROM accounts WHERE email = '{email}'")
        rows = conn.execute(stmt).all()
    return jsonify([dict(r._mapping) for r in rows])


@app.route("/accounts/safe")
def find_account_safe():
    email = request.args["email"]
    with engine.connect() as conn:
        # ok: tainted-sql-query
        rows = conn.execute(text("SELECT * FROM accounts WHERE email = :email"), {"email": email}).all()
    return jsonify([dict(r._mapping) for r in rows])


@app.route("/accounts/purge", methods=["POST"])
def purge_accounts():
    cutoff = request.form["cutoff"]
    with engine.begin() as conn:
        # ruleid: tainted-sql-query
        conn.execute(sqlalchemy.text("DELETE FROM accounts WHERE last_login < '%s'" % cutoff))
    return "", 204


@app.route("/accounts/by-name")
def account_by_name():
    name = request.args["name"]
    with Session(engine) as session:
        # The expression language sends the value as a bound parameter.
        # ok: tainted-sql-query
        account = session.execute(select(Account).filter_by(name=name)).scalar_one()
        stmt = select(Account).where(Account.name == name).order_by(Account.id).limit(1)
        # ok: tainted-sql-query
        account = session.execute(stmt).scalar_one()
        # ok: tainted-sql-query
        session.execute(accounts_table.insert().values(name=name, source="web"))
        # ok: tainted-sql-query
        session.execute(text("SELECT * FROM accounts WHERE name = :n").bindparams(n=name))
    return jsonify(id=account.id)


@app.route("/export")
def export_csv():
    table = request.args["table"]
    # ruleid: tainted-sql-query
    frame = pd.read_sql("SELECT * FROM " + table, engine)
    return frame.to_csv()


# ---- Django -----------------------------------------------------------------------


def person_search(request):
    last_name = request.GET["last_name"]
    # ruleid: tainted-sql-query
    people = Person.objects.raw("SELECT * FROM app_person WHERE last_name = '%s'" % last_name)
    return JsonResponse({"ids": [p.id for p in people]})


def person_search_safe(request):
    last_name = request.GET["last_name"]
    # ok: tainted-sql-query
    people = Person.objects.raw("SELECT * FROM app_person WHERE last_name = %s", [last_name])
    return JsonResponse({"ids": [p.id for p in people]})


def person_filter(request):
    first_name = request.POST.get("first_name")
    people = Person.objects.filter(age__gte=18).extra(
        # ruleid: tainted-sql-query
        where=["first_name = '%s'" % first_name],
    )
    return JsonResponse({"count": people.count()})


def person_filter_safe(request):
    first_name = request.POST.get("first_name")
    # ok: tainted-sql-query
    people = Person.objects.extra(where=["first_name = %s"], params=[first_name])
    return JsonResponse({"count": people.count()})


def person_rank(request):
    name = request.GET["name"]
    people = Person.objects.annotate(
        # ruleid: tainted-sql-query
        rank=RawSQL("SELECT count(*) FROM app_person WHERE last_name < '" + name + "'", []),
    )
    return JsonResponse({"ranks": [p.rank for p in people]})


def person_rank_safe(request):
    name = request.GET["name"]
    people = Person.objects.annotate(
        # ok: tainted-sql-query
        rank=RawSQL("SELECT count(*) FROM app_person WHERE last_name < %s", (name,)),
    )
    return JsonResponse({"ranks": [p.rank for p in people]})


def audit_log(request):
    action = request.GET.get("action", "")
    with connection.cursor() as cursor:
        # ruleid: tainted-sql-query
        cursor.execute("SELECT * FROM audit WHERE action = '{}'".format(action))
        rows = cursor.fetchall()
    return JsonResponse({"rows": rows})


def audit_log_by_id(request, pk):
    # ok: tainted-sql-query
    connection.cursor().execute("SELECT * FROM audit WHERE id = %s", [request.GET["id"]])
    return JsonResponse({})


# ---- FastAPI ----------------------------------------------------------------------


@api.get("/items")
def read_items(category: str, limit: int = 10):
    db = get_db()
    # ruleid: tainted-sql-query
    rows = db.execute(f"SELECT * FROM items WHERE category = '{category}' LIMIT {limit}").fetchall()
    return {"items": rows}


@api.get("/items/{item_id}")
def read_item(item_id: str):
    db = get_db()
    # ok: tainted-sql-query
    row = db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
    return {"item": row}


# Validated by FastAPI: numbers, not SQL.
@api.get("/items/{item_id}/stock")
def read_stock(item_id: int, warehouse: int | None = None):
    db = get_db()
    # ok: tainted-sql-query
    row = db.execute(f"SELECT qty FROM stock WHERE item = {item_id} AND warehouse = {warehouse}").fetchone()
    return {"stock": row}


# Converted by Flask's <int:> converter.
@app.route("/orders/<int:order_id>")
def order_by_id(order_id):
    cur = get_db().cursor()
    # ok: tainted-sql-query
    cur.execute("SELECT * FROM orders WHERE id = %d" % order_id)
    return jsonify(cur.fetchone())


@app.route("/orders/by-ref/<ref>")
def order_by_ref(ref):
    cur = get_db().cursor()
    # ruleid: tainted-sql-query
    cur.execute("SELECT * FROM orders WHERE ref = '%s'" % ref)
    return jsonify(cur.fetchone())


# ---- Other sources ----------------------------------------------------------------


def answer_question(question):
    # The model writes the SQL: it can be talked into writing any SQL.
    reply = llm.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "Write one SQLite query for: " + question}],
    )
    sql = reply.choices[0].message.content
    db = get_db()
    # ruleid: tainted-sql-query
    rows = db.execute(sql).fetchall()
    # ruleid: tainted-sql-query
    db.executescript(reply.choices[0].message.content.strip())
    return rows


def main():
    db = get_db()
    # ruleid: tainted-sql-query
    db.execute("DELETE FROM sessions WHERE user = '%s'" % sys.argv[1])
    db.commit()


def count_users():
    db = get_db()
    # ok: tainted-sql-query
    return db.execute("SELECT count(*) FROM users").fetchone()
