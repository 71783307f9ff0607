"""Tiny Shop: a small Flask storefront.

DELIBERATELY VULNERABLE. This is pyward's end-to-end test application: every vulnerability in it
is listed, with its line numbers, in VULNERABILITIES.md, and clean_shop.py is the same shop with
each one fixed. Do not deploy it.
"""

import base64
import logging
import os
import pickle
import sqlite3
import subprocess
import uuid
from pathlib import Path

import requests
from flask import Flask, abort, g, jsonify, make_response, redirect, render_template
from flask import render_template_string, request, send_file, session, url_for
from openai import OpenAI
from werkzeug.security import check_password_hash
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.secret_key = os.environ["SHOP_SECRET_KEY"]
app.config["MAX_CONTENT_LENGTH"] = 4 * 1024 * 1024

log = logging.getLogger("tinyshop")
assistant = OpenAI()

DATABASE = os.environ.get("SHOP_DATABASE", "shop.db")
AVATAR_DIR = Path(os.environ.get("SHOP_AVATAR_DIR", "/var/lib/tinyshop/avatars"))
EXPORT_DIR = Path(os.environ.get("SHOP_EXPORT_DIR", "/var/lib/tinyshop/exports"))
IMAGE_CACHE = Path(os.environ.get("SHOP_IMAGE_CACHE", "/var/cache/tinyshop/images"))
REPORT_TOOL = "/usr/local/bin/shop-report"
ASSISTANT_MODEL = "gpt-4o-mini"
SORT_COLUMNS = {"name", "price", "created_at"}
PAGE_SIZE = 24


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE)
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close_db(exc):
    db = g.pop("db", None)
    if db is not None:
        db.close()


class ProductRepository:
    """Data access for the catalogue."""

    def __init__(self, db):
        self.db = db

    def get(self, product_id):
        return self.db.execute(
            "SELECT id, name, description, price FROM products WHERE id = ?", (product_id,)
        ).fetchone()

    def _matching(self, term):
        return f"name LIKE '%{term}%' OR description LIKE '%{term}%'"

    def search(self, term):
        sql = "SELECT id, name, price FROM products WHERE " + self._matching(term)
        return self.db.execute(sql).fetchall()


def current_user():
    user_id = session.get("user_id")
    if user_id is None:
        return None
    return get_db().execute("SELECT id, email, name, is_admin FROM users WHERE id = ?", (user_id,)).fetchone()


def require_admin():
    user = current_user()
    if user is None or not user["is_admin"]:
        abort(403)
    return user


# --- catalogue ---------------------------------------------------------------------------------


@app.route("/")
def index():
    sort = request.args.get("sort", "name")
    if sort not in SORT_COLUMNS:
        abort(400)
    page = max(1, int(request.args.get("page", 1)))
    offset = (page - 1) * PAGE_SIZE
    sql = f"SELECT id, name, price FROM products ORDER BY {sort} LIMIT {PAGE_SIZE} OFFSET {offset}"
    products = get_db().execute(sql).fetchall()
    return render_template("index.html", products=products, sort=sort, page=page)


@app.route("/products/<int:product_id>")
def product_detail(product_id):
    product = ProductRepository(get_db()).get(product_id)
    if product is None:
        abort(404)
    return render_template("product.html", product=product)


@app.route("/search")
def search():
    term = request.args.get("q", "").strip()
    results = ProductRepository(get_db()).search(term)
    heading = f"<h1>{len(results)} results for &ldquo;{term}&rdquo;</h1>"
    return render_template_string(heading + "{% include 'product_list.html' %}", products=results)


# --- cart and orders ---------------------------------------------------------------------------


def load_cart():
    raw = request.cookies.get("cart")
    if not raw:
        return {}
    return pickle.loads(base64.b64decode(raw))


def save_cart(response, cart):
    response.set_cookie("cart", base64.b64encode(pickle.dumps(cart)).decode(), httponly=True, samesite="Lax")
    return response


@app.route("/cart")
def view_cart():
    repo = ProductRepository(get_db())
    items = [(repo.get(product_id), quantity) for product_id, quantity in load_cart().items()]
    return render_template("cart.html", items=items)


@app.route("/cart/add", methods=["POST"])
def add_to_cart():
    product_id = int(request.form["product_id"])
    quantity = max(1, int(request.form.get("quantity", 1)))
    cart = load_cart()
    cart[product_id] = cart.get(product_id, 0) + quantity
    return save_cart(redirect(url_for("view_cart")), cart)


@app.route("/orders")
def orders():
    user = current_user()
    if user is None:
        return redirect(url_for("login"))
    status = request.args.get("status", "open")
    rows = get_db().execute(
        "SELECT id, total, status, created_at FROM orders WHERE user_id = ? AND status = ? ORDER BY created_at DESC",
        (user["id"], status),
    ).fetchall()
    return render_template("orders.html", orders=rows, status=status)


@app.route("/orders/<int:order_id>/invoice")
def invoice(order_id):
    user = current_user()
    if user is None:
        abort(401)
    order = get_db().execute("SELECT * FROM orders WHERE id = ? AND user_id = ?", (order_id, user["id"])).fetchone()
    if order is None:
        abort(404)
    body = render_template("invoice.txt", order=order)
    download_name = request.args.get("filename", "invoice.txt")
    response = make_response(body)
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return response


def order_search_sql(filters):
    conditions = " AND ".join(f"{column} = '{value}'" for column, value in filters.items())
    return f"SELECT o.id, u.email, o.total, o.status FROM orders o JOIN users u ON u.id = o.user_id WHERE {conditions}"


@app.route("/admin/orders")
def admin_orders():
    require_admin()
    filters = {"o.status": request.args.get("status", "open")}
    if request.args.get("email"):
        filters["u.email"] = request.args["email"]
    rows = get_db().execute(order_search_sql(filters) + " ORDER BY o.created_at DESC").fetchall()
    return render_template("admin_orders.html", orders=rows)


# --- accounts ----------------------------------------------------------------------------------


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    email = request.form.get("email", "")
    password = request.form.get("password", "")
    user = get_db().execute("SELECT id, password_hash FROM users WHERE email = ?", (email,)).fetchone()
    if user is None or not check_password_hash(user["password_hash"], password):
        log.warning(f"failed login for {email} from {request.remote_addr}")
        return render_template("login.html", error="Invalid email or password"), 401
    session.clear()
    session["user_id"] = user["id"]
    next_url = request.form.get("next") or url_for("index")
    return redirect(next_url)


@app.route("/profile", methods=["GET", "POST"])
def profile():
    user = current_user()
    if user is None:
        return redirect(url_for("login"))
    if request.method == "POST":
        display_name = request.form.get("name", "").strip()[:80]
        get_db().execute("UPDATE users SET name = ? WHERE id = ?", (display_name, user["id"]))
        get_db().commit()
        avatar = request.files.get("avatar")
        if avatar and avatar.filename:
            avatar.save(AVATAR_DIR / secure_filename(avatar.filename))
        return redirect(url_for("profile"))
    return render_template("profile.html", user=user)


@app.route("/avatars/<path:filename>")
def avatar_image(filename):
    return send_file(os.path.join(AVATAR_DIR, filename))


# --- supplier integration and admin ------------------------------------------------------------


def fetch_image(url):
    response = requests.get(url, timeout=10)
    response.raise_for_status()
    return response.content


@app.route("/webhooks/supplier", methods=["POST"])
def supplier_webhook():
    event = request.get_json(force=True)
    if event.get("type") != "product.image_updated":
        return jsonify({"ignored": True})
    product_id = int(event["product_id"])
    image = fetch_image(event["image_url"])
    (IMAGE_CACHE / f"{product_id}.jpg").write_bytes(image)
    return jsonify({"ok": True})


@app.route("/admin/promotions/preview", methods=["POST"])
def preview_promotion():
    require_admin()
    formula = request.form["formula"]
    prices = [10.0, 25.0, 99.0]
    preview = {price: eval(formula, {"__builtins__": {}}, {"price": price}) for price in prices}
    return jsonify(preview)


def report_command(options, out_path):
    return f"{REPORT_TOOL} {options['report']} --since {options['since']} --output {out_path}"


@app.route("/admin/reports/export", methods=["POST"])
def export_report():
    require_admin()
    options = {
        "report": request.form.get("report", "sales"),
        "since": request.form.get("since", "1970-01-01"),
    }
    out_path = EXPORT_DIR / f"report-{uuid.uuid4().hex}.csv"
    subprocess.run(report_command(options, out_path), shell=True, check=True, timeout=120)
    return send_file(out_path, as_attachment=True, download_name="report.csv")


# --- AI features -------------------------------------------------------------------------------


@app.route("/api/assistant", methods=["POST"])
def shop_assistant():
    body = request.get_json(force=True)
    question = body.get("question", "")
    language = body.get("language", "English")
    system_prompt = (
        "You are Tiny Shop's shopping assistant. Only answer questions about our products "
        f"and never reveal internal data. Always answer in {language}."
    )
    completion = assistant.chat.completions.create(
        model=ASSISTANT_MODEL,
        messages=[
            {"role": "system", "content": system_prompt},
            {"role": "user", "content": question},
        ],
    )
    return jsonify({"answer": completion.choices[0].message.content})


@app.route("/admin/maintenance/free-space", methods=["POST"])
def free_disk_space():
    require_admin()
    listing = "\n".join(sorted(os.listdir(IMAGE_CACHE))[:200])
    reply = assistant.chat.completions.create(
        model=ASSISTANT_MODEL,
        messages=[
            {"role": "system", "content": "You are a Linux administrator. Reply with one shell command only."},
            {"role": "user", "content": f"Free disk space in {IMAGE_CACHE}. It contains:\n{listing}"},
        ],
    )
    command = reply.choices[0].message.content.strip()
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
    return jsonify({"command": command, "exit_code": result.returncode})


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5000)
