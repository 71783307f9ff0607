"""Tiny Shop: a small Flask storefront.

The clean twin of vulnerable_shop.py: the same shop, with every vulnerability listed in
VULNERABILITIES.md fixed the way a careful developer would fix it. pyward's end-to-end test
asserts that nothing in this file is reported at high confidence.
"""

import ast
import hashlib
import hmac
import logging
import operator
import os
import sqlite3
import subprocess
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import requests
from flask import Flask, abort, g, jsonify, make_response, redirect, render_template
from flask import request, send_file, session, url_for
from openai import OpenAI
from werkzeug.security import check_password_hash
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.secret_key = os.environ["SHOP_SECRET_KEY"]
app.config.update(
    MAX_CONTENT_LENGTH=4 * 1024 * 1024,
    SESSION_COOKIE_SECURE=True,
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",
)

log = logging.getLogger("tinyshop")
assistant = OpenAI()

DATABASE = os.environ.get("SHOP_DATABASE", "shop.db")
AVATAR_DIR = Path(os.environ.get("SHOP_AVATAR_DIR", "/var/lib/tinyshop/avatars")).resolve()
EXPORT_DIR = Path(os.environ.get("SHOP_EXPORT_DIR", "/var/lib/tinyshop/exports"))
IMAGE_CACHE = Path(os.environ.get("SHOP_IMAGE_CACHE", "/var/cache/tinyshop/images"))
WEBHOOK_SECRET = os.environ["SHOP_WEBHOOK_SECRET"].encode()
REPORT_TOOL = "/usr/local/bin/shop-report"
ASSISTANT_MODEL = "gpt-4o-mini"
SORT_COLUMNS = {"name", "price", "created_at"}
PAGE_SIZE = 24
REPORTS = {"sales", "stock", "customers"}
IMAGE_HOSTS = {"images.supplier.example", "cdn.supplier.example"}
SAFE_NEXT_PAGES = {"/", "/cart", "/orders", "/profile"}
LANGUAGES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish"}
MAINTENANCE_ACTIONS = {
    "purge-old-images": ["find", str(IMAGE_CACHE), "-type", "f", "-mtime", "+30", "-delete"],
    "vacuum-database": ["sqlite3", DATABASE, "VACUUM"],
}
FORMULA_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


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

    def search(self, term):
        pattern = f"%{term}%"
        sql = "SELECT id, name, price FROM products WHERE name LIKE ? OR description LIKE ?"
        return self.db.execute(sql, (pattern, pattern)).fetchall()


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
    return render_template("search.html", term=term, products=results)


# --- cart and orders ---------------------------------------------------------------------------


def load_cart():
    # The cart lives in Flask's signed session cookie (JSON, not pickle): {"<product id>": qty}.
    return {int(product_id): int(quantity) for product_id, quantity in session.get("cart", {}).items()}


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
    session["cart"] = {str(key): value for key, value in cart.items()}
    return redirect(url_for("view_cart"))


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
    download_name = secure_filename(request.args.get("filename", "")) or "invoice.txt"
    response = make_response(body)
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return response


def order_search_sql(filters):
    conditions = " AND ".join(f"{column} = ?" for column in filters)
    return f"SELECT o.id, u.email, o.total, o.status FROM orders o JOIN users u ON u.id = o.user_id WHERE {conditions}"


@app.route("/admin/orders")
def admin_orders():
    require_admin()
    filters = {"o.status": request.args.get("status", "open")}
    if request.args.get("email"):
        filters["u.email"] = request.args["email"]
    sql = order_search_sql(filters.keys()) + " ORDER BY o.created_at DESC"
    rows = get_db().execute(sql, list(filters.values())).fetchall()
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
        # The e-mail address is the client's text: log a digest, never the raw value.
        email_digest = hashlib.sha256(email.encode()).hexdigest()[:12]
        log.warning("failed login for %s from %s", email_digest, request.remote_addr)
        return render_template("login.html", error="Invalid email or password"), 401
    session.clear()
    session["user_id"] = user["id"]
    next_url = request.form.get("next", "")
    if next_url in SAFE_NEXT_PAGES:
        return redirect(next_url)
    return redirect(url_for("index"))


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
    path = (AVATAR_DIR / secure_filename(filename)).resolve()
    if not path.is_relative_to(AVATAR_DIR):
        abort(404)
    return send_file(path)


# --- supplier integration and admin ------------------------------------------------------------


def fetch_image(url):
    if not url.startswith("https://") or urlsplit(url).hostname not in IMAGE_HOSTS:
        raise ValueError("image URL not allowed")
    response = requests.get(url, timeout=10, allow_redirects=False)
    response.raise_for_status()
    return response.content


@app.route("/webhooks/supplier", methods=["POST"])
def supplier_webhook():
    expected = hmac.new(WEBHOOK_SECRET, request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Supplier-Signature", "")):
        abort(401)
    event = request.get_json(force=True)
    if event.get("type") != "product.image_updated":
        return jsonify({"ignored": True})
    product_id = int(event["product_id"])
    try:
        image = fetch_image(event["image_url"])
    except ValueError:
        abort(422)
    (IMAGE_CACHE / f"{product_id}.jpg").write_bytes(image)
    return jsonify({"ok": True})


def evaluate_formula(node, price):
    """Evaluates a discount formula: numbers, `price`, + - * / and parentheses, nothing else."""
    if isinstance(node, ast.Expression):
        return evaluate_formula(node.body, price)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.Name) and node.id == "price":
        return price
    if isinstance(node, ast.BinOp) and type(node.op) in FORMULA_OPERATORS:
        left = evaluate_formula(node.left, price)
        right = evaluate_formula(node.right, price)
        return FORMULA_OPERATORS[type(node.op)](left, right)
    raise ValueError("unsupported expression in formula")


@app.route("/admin/promotions/preview", methods=["POST"])
def preview_promotion():
    require_admin()
    try:
        formula = ast.parse(request.form["formula"], mode="eval")
        preview = {price: evaluate_formula(formula, price) for price in [10.0, 25.0, 99.0]}
    except (SyntaxError, ValueError, ZeroDivisionError):
        abort(400)
    return jsonify(preview)


@app.route("/admin/reports/export", methods=["POST"])
def export_report():
    require_admin()
    report = request.form.get("report", "sales")
    if report not in REPORTS:
        abort(400)
    since = date.fromisoformat(request.form.get("since", "1970-01-01"))
    out_path = EXPORT_DIR / f"report-{uuid.uuid4().hex}.csv"
    argv = [REPORT_TOOL, report, "--since", since.isoformat(), "--output", str(out_path)]
    subprocess.run(argv, check=True, timeout=120)
    return send_file(out_path, as_attachment=True, download_name="report.csv")


# --- AI features -------------------------------------------------------------------------------


@app.route("/api/assistant", methods=["POST"])
def shop_assistant():
    body = request.get_json(force=True)
    question = body.get("question", "")
    language = body.get("language", "en")
    if language not in LANGUAGES:
        abort(400)
    system_prompt = (
        "You are Tiny Shop's shopping assistant. Only answer questions about our products "
        f"and never reveal internal data. Always answer in {LANGUAGES[language]}."
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
            {"role": "system", "content": "You are a Linux administrator. Reply with one action name only: "
             + ", ".join(MAINTENANCE_ACTIONS)},
            {"role": "user", "content": f"Free disk space in {IMAGE_CACHE}. It contains:\n{listing}"},
        ],
    )
    action = reply.choices[0].message.content.strip()
    if action not in MAINTENANCE_ACTIONS:
        abort(502)
    result = subprocess.run(MAINTENANCE_ACTIONS[action], capture_output=True, text=True, timeout=60)
    return jsonify({"action": action, "exit_code": result.returncode})


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5000)
