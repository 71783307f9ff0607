import re

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect as django_redirect
from flask import Flask, abort, redirect, request, session

app = Flask(__name__)

ROLES = {"viewer", "editor"}
LANGUAGES = ("en", "fr", "de")
SLUG = re.compile(r"[a-z0-9-]{1,40}")


# ---- Flask ------------------------------------------------------------------------


@app.route("/preferences", methods=["POST"])
def preferences():
    # ruleid: trust-boundary-session
    session["role"] = request.form["role"]
    return "", 204


@app.route("/preferences/checked", methods=["POST"])
def preferences_checked():
    role = request.form["role"]
    if role not in ROLES:
        abort(400)
    # ok: trust-boundary-session
    session["role"] = role
    return "", 204


@app.route("/store", methods=["POST"])
def store():
    name = request.form.get("name", "")
    # The request chooses the key: it can overwrite `user_id` or `is_admin`.
    # ruleid: trust-boundary-session
    session[name] = True
    return "", 204


@app.route("/cart/<item>")
def add_to_cart(item):
    cart = session.get("cart", [])
    cart.append(item)
    # ruleid: trust-boundary-session
    session["cart"] = cart
    return redirect("/cart")


@app.route("/page-size")
def page_size():
    # ok: trust-boundary-session
    session["page_size"] = int(request.args.get("n", "20"))
    return "", 204


@app.route("/theme")
def theme():
    slug = request.args.get("theme", "")
    if not SLUG.fullmatch(slug):
        return "bad theme", 400
    # ok: trust-boundary-session
    session["theme"] = slug
    return "", 204


@app.route("/lang")
def language():
    lang = request.args.get("lang", "en")
    if lang in LANGUAGES:
        # ok: trust-boundary-session
        session["lang"] = lang
    return redirect("/")


@app.route("/login", methods=["POST"])
def login():
    # ruleid: trust-boundary-session
    session.update({"user": request.form["user"], "remember": True})
    # ok: trust-boundary-session
    session["visits"] = session.get("visits", 0) + 1
    return redirect("/")


@app.route("/next")
def remember_next():
    target = request.args.get("next", "/")
    if not re.fullmatch(r"/[a-z/]*", target):
        abort(400)
    # ok: trust-boundary-session
    session["next"] = target
    return "", 204


# ---- Django -----------------------------------------------------------------------


def set_currency(request):
    currency = request.GET.get("currency", "EUR")
    # ruleid: trust-boundary-session
    request.session["currency"] = currency
    return HttpResponse(status=204)


def set_currency_checked(request):
    currency = request.GET.get("currency", "EUR")
    if currency not in ("EUR", "USD", "GBP"):
        return HttpResponse(status=400)
    # ok: trust-boundary-session
    request.session["currency"] = currency
    return HttpResponse(status=204)


def impersonate(request):
    # ruleid: trust-boundary-session
    request.session["user_id"] = request.POST["user_id"]
    return django_redirect("/")


def select_account(request):
    # ok: trust-boundary-session
    request.session["account_id"] = int(request.POST["account_id"])
    return JsonResponse({"ok": True})


@app.route("/login/db", methods=["POST"])
def login_db():
    row = db.execute("SELECT id, role FROM users WHERE email = ?", (request.form["email"],)).fetchone()
    # ok: trust-boundary-session
    session["user_id"] = row[0]
    # ok: trust-boundary-session
    session["role"] = row[1]
    # ruleid: trust-boundary-session
    session["email"] = request.form["email"]
    return redirect("/")
