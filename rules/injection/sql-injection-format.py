import sqlite3

conn = sqlite3.connect("app.db")
cur = conn.cursor()


def find_user(name, user_id, table):
    # ruleid: sql-injection-format
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    # ruleid: sql-injection-format
    cur.execute("SELECT * FROM users WHERE id = %s" % user_id)
    # ruleid: sql-injection-format
    cur.execute("SELECT * FROM {} WHERE id = 1".format(table))
    # ruleid: sql-injection-format
    cur.execute("SELECT * FROM users WHERE name = '" + name + "'")
    query = f"DELETE FROM users WHERE id = {user_id}"
    # ruleid: sql-injection-format
    conn.executemany(query, [])
    # ok: sql-injection-format
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    # ok: sql-injection-format
    cur.execute("SELECT * FROM users WHERE id = %s", (user_id,))
    # ok: sql-injection-format
    cur.execute("SELECT count(*) FROM users")
    # todoruleid: sql-injection-format
    cur.execute(build_query(name))


ORDER = "created_at"


def recent_users(limit):
    # Only constants and a number are pasted into the query.
    # ok: sql-injection-format
    cur.execute(f"SELECT * FROM users ORDER BY {ORDER} DESC LIMIT {int(limit)}")
    table = "users"
    # ok: sql-injection-format
    cur.execute("SELECT count(*) FROM " + table)


from flask import Flask
from fastapi import FastAPI

app = Flask(__name__)
api = FastAPI()


@app.route("/users/<int:user_id>")
def show_user(user_id):
    # The framework converted the value to a number: the query holds no text from the request.
    # ok: sql-injection-format
    cur.execute("SELECT * FROM users WHERE id = %d" % user_id)
    return "ok"


@app.route("/users/<int:user_id>/<name>")
def show_named(user_id, name):
    # ruleid: sql-injection-format
    cur.execute("SELECT * FROM users WHERE id = %d AND name = '%s'" % (user_id, name))
    return "ok"


@api.get("/orders/{order_id}")
def show_order(order_id: int):
    # ok: sql-injection-format
    cur.execute(f"SELECT * FROM orders WHERE id = {order_id}")
    return {}
