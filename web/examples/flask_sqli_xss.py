"""Corner Books: a tiny Flask storefront with search, reviews and order lookup."""
import sqlite3

from flask import Flask, g, render_template_string, request
from markupsafe import Markup

app = Flask(__name__)
app.config["SECRET_KEY"] = "corner-books-2024"

DATABASE = "shop.db"

PAGE = """<!doctype html>
<title>Corner Books</title>
<h1>{{ heading }}</h1>
{{ body }}
"""


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE)
    return g.db


@app.teardown_appcontext
def close_db(exc):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.route("/search")
def search():
    term = request.args.get("q", "")
    cur = get_db().cursor()
    cur.execute(f"SELECT id, title, price FROM books WHERE title LIKE '%{term}%'")
    items = "".join(f"<li>{title} ({price:.2f} EUR)</li>" for _, title, price in cur.fetchall())
    template = "<h1>Results for " + term + "</h1><ul>" + items + "</ul>"
    return render_template_string(template)


@app.route("/book/<int:book_id>/reviews", methods=["GET", "POST"])
def reviews(book_id):
    db = get_db()
    if request.method == "POST":
        db.execute(
            "INSERT INTO reviews (book_id, author, text) VALUES (?, ?, ?)",
            (book_id, request.form["author"], request.form["text"]),
        )
        db.commit()
    rows = db.execute("SELECT author, text FROM reviews WHERE book_id = ?", (book_id,))
    body = Markup("".join(f"<p><b>{author}</b>: {text}</p>" for author, text in rows))
    return render_template_string(PAGE, heading="Reviews", body=body)


@app.route("/orders")
def orders():
    email = request.args.get("email", "")
    status = request.args.get("status", "shipped")
    cur = get_db().cursor()
    cur.execute(
        "SELECT id, total FROM orders WHERE email = '%s' AND status = '%s'" % (email, status)
    )
    lines = [f"#{oid}: {total:.2f} EUR" for oid, total in cur.fetchall()]
    return render_template_string(PAGE, heading="Your orders", body="<br>".join(lines))


@app.route("/admin/report")
def report():
    sort = request.args.get("sort", "revenue")
    cur = get_db().cursor()
    cur.execute(
        "SELECT email, SUM(total) AS revenue FROM orders GROUP BY email ORDER BY " + sort
    )
    return {"rows": cur.fetchall()}


@app.route("/welcome")
def welcome():
    name = request.args.get("name", "reader")
    banner = Markup(f"<p class='greeting'>Welcome back, {name}!</p>")
    return render_template_string(PAGE, heading="Corner Books", body=banner)


if __name__ == "__main__":
    app.run(debug=True)
