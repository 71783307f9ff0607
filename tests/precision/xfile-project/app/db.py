# exercises: flows across files: the query helpers views.py imports; the unsafe one is flagged here by the pattern rule, and at its callers' calls by the taint rule
import sqlite3


def connect():
    return sqlite3.connect("app.db")


def find_user(name):
    cur = connect().cursor()
    # ruleid: sql-injection-format
    cur.execute("SELECT id FROM users WHERE name = '" + name + "'")
    return cur.fetchall()


def find_user_safe(name):
    cur = connect().cursor()
    # ok: sql-injection-format
    cur.execute("SELECT id FROM users WHERE name = ?", (name,))
    return cur.fetchall()
