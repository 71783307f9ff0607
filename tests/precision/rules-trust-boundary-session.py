# exercises: request data stored into the Flask or Django session, as a value or as a key, without validation is a trust boundary violation (CWE-501); an allow-list with an early return, int(), a regex fullmatch guard or a literal comparison validates it
import re

from django.http import HttpResponse, JsonResponse
from flask import Flask, abort, jsonify, redirect, request, session

# ruleid: flask-csrf-protection-missing, flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)
LOCALES = {"en", "fr", "de", "es"}
SORT_KEYS = ("name", "price", "date")
COUPON = re.compile(r"[A-Z0-9]{8}")


@app.route("/locale")
def set_locale():
    locale = request.args.get("locale", "en")
    # ruleid: trust-boundary-session
    session["locale"] = locale
    return redirect("/")


@app.route("/locale-checked")
def set_locale_checked():
    locale = request.args.get("locale", "en")
    if locale not in LOCALES:
        abort(400)
    # ok: trust-boundary-session
    session["locale"] = locale
    return redirect("/")


@app.route("/filters", methods=["POST"])
def save_filters():
    data = request.get_json()
    for field in ("category", "brand"):
        # ruleid: trust-boundary-session
        session["filter_" + field] = data.get(field)
    return jsonify(ok=True)


@app.route("/page", methods=["POST"])
def save_page():
    # ok: trust-boundary-session
    session["page"] = int(request.form.get("page", "1"))
    return jsonify(ok=True)


@app.route("/prefs/<key>", methods=["POST"])
def save_pref(key):
    # The request chooses the key: it can overwrite `user_id` or `is_admin`.
    # ruleid: trust-boundary-session
    session[key] = True
    return jsonify(ok=True)


@app.route("/sort")
def save_sort():
    key = request.args.get("sort", "name")
    if key == "price":
        # ok: trust-boundary-session
        session["sort"] = key
    return redirect("/products")


@app.route("/coupon", methods=["POST"])
def apply_coupon():
    code = request.form.get("code", "").upper()
    if not COUPON.fullmatch(code):
        return jsonify(error="invalid coupon"), 400
    # ok: trust-boundary-session
    session["coupon"] = code
    return jsonify(ok=True)


def django_set_cart_note(request):
    note = request.POST.get("note", "")
    # ruleid: trust-boundary-session
    request.session["cart_note"] = note
    return HttpResponse(status=204)


def django_set_sort(request):
    sort = request.GET.get("sort", "name")
    if sort not in SORT_KEYS:
        return HttpResponse(status=400)
    # ok: trust-boundary-session
    request.session["sort"] = sort
    return JsonResponse({"sort": sort})


def django_login_next(request):
    # ruleid: trust-boundary-session
    request.session.update({"next": request.GET["next"]})
    return HttpResponse(status=204)
