"""Corner Books, reviewed: the storefront rewritten after a security review."""
import os
import sqlite3
import subprocess

import requests
import yaml
from flask import Flask, abort, g, render_template, request, send_from_directory, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect
from werkzeug.security import check_password_hash
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SHOP_SECRET_KEY"]
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True)
CSRFProtect(app)
Talisman(app)
limiter = Limiter(get_remote_address, app=app)

COVER_DIR = os.path.join(app.root_path, "covers")
RATES_URL = "https://api.exchange.example/v1/latest"

with open(os.path.join(app.root_path, "shop.yaml")) as fh:
    SETTINGS = yaml.safe_load(fh)


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(SETTINGS["database"])
    return g.db


@app.route("/search")
def search():
    term = request.args.get("q", "")
    rows = get_db().execute(
        "SELECT id, title, price FROM books WHERE title LIKE ?", (f"%{term}%",)
    ).fetchall()
    return render_template("search.html", term=term, books=rows)


@app.route("/login", methods=["POST"])
@limiter.limit("5 per minute")
def login():
    row = get_db().execute(
        "SELECT id, pw_hash FROM users WHERE email = ?", (request.form["email"],)
    ).fetchone()
    if row is None or not check_password_hash(row[1], request.form["password"]):
        abort(401)
    session.clear()
    session["user_id"] = row[0]
    return render_template("welcome.html")


@app.route("/covers/<path:name>")
def cover(name):
    return send_from_directory(COVER_DIR, secure_filename(name))


@app.route("/covers/<name>/thumbnail", methods=["POST"])
def thumbnail(name):
    source = os.path.join(COVER_DIR, secure_filename(name))
    subprocess.run(
        ["convert", source, "-resize", "128x128", source + ".thumb.png"],
        check=True, timeout=30,
    )
    return {"ok": True}


@app.route("/prices/<currency>")
def prices(currency):
    if currency not in SETTINGS["currencies"]:
        abort(404)
    rates = requests.get(RATES_URL, params={"base": "EUR"}, timeout=5).json()
    return {"currency": currency, "rate": rates["rates"][currency]}


if __name__ == "__main__":
    app.run()
