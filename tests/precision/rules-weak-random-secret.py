# exercises: a value from the random module that reaches a session value, a cookie, a password, a reset token or an API key is a weak secret (CWE-330), followed through variables, joins and helpers; the same secrets from the secrets module or random.SystemRandom are not
import random
import secrets
import string

from flask import Flask, jsonify, make_response, redirect, request, session

# ruleid: flask-csrf-protection-missing, flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)
ALPHABET = string.ascii_letters + string.digits


class Account:
    def __init__(self, email):
        self.email = email
        self.password = None
        self.reset_token = None

    def save(self):
        pass


def lookup(email):
    return Account(email)


def make_code(n):
    return "".join(random.choice(string.digits) for _ in range(n))


def make_code_safe(n):
    return "".join(secrets.choice(string.digits) for _ in range(n))


@app.route("/login/otp", methods=["POST"])
def send_otp():
    code = make_code(6)
    # ruleid: weak-random-secret
    session["otp"] = code
    return redirect("/login/verify")


@app.route("/login/otp-safe", methods=["POST"])
def send_otp_safe():
    code = make_code_safe(6)
    # ok: weak-random-secret
    session["otp"] = code
    return redirect("/login/verify")


@app.route("/remember", methods=["POST"])
def remember_me():
    series = "%x" % random.getrandbits(64)
    resp = make_response(redirect("/"))
    # ruleid: weak-random-secret
    resp.set_cookie("remember", series, secure=True, httponly=True, samesite="Lax")
    return resp


@app.route("/remember-safe", methods=["POST"])
def remember_me_safe():
    series = secrets.token_hex(8)
    resp = make_response(redirect("/"))
    # ok: weak-random-secret
    resp.set_cookie("remember", series, secure=True, httponly=True, samesite="Lax")
    return resp


@app.route("/password/reset", methods=["POST"])
def reset_password():
    account = lookup(request.form["email"])
    letters = random.sample(ALPHABET, 10)
    # ruleid: weak-random-secret
    account.password = "".join(letters)
    account.save()
    return "", 204


@app.route("/password/reset-safe", methods=["POST"])
def reset_password_safe():
    account = lookup(request.form["email"])
    rng = random.SystemRandom()
    letters = [rng.choice(ALPHABET) for _ in range(16)]
    # ok: weak-random-secret
    account.password = "".join(letters)
    account.save()
    return "", 204


@app.route("/password/forgot", methods=["POST"])
def forgot_password():
    account = lookup(request.form["email"])
    link_id = str(random.randint(10**9, 10**10))
    # ruleid: weak-random-secret
    account.reset_token = link_id
    account.save()
    return "", 202


@app.route("/password/forgot-safe", methods=["POST"])
def forgot_password_safe():
    account = lookup(request.form["email"])
    link_id = secrets.token_urlsafe(24)
    # ok: weak-random-secret
    account.reset_token = link_id
    account.save()
    return "", 202


@app.route("/keys", methods=["POST"])
def create_api_key():
    generator = random.Random()
    value = "".join(generator.choices(ALPHABET, k=40))
    # ruleid: weak-random-secret
    return jsonify({"api_key": value})


@app.route("/keys-safe", methods=["POST"])
def create_api_key_safe():
    value = secrets.token_urlsafe(30)
    # ok: weak-random-secret
    return jsonify({"api_key": value})


@app.route("/banner")
def banner():
    # A random banner is not a secret.
    variant = random.choice(["a", "b", "c"])
    # ok: weak-random-secret
    session["banner"] = variant
    return jsonify(variant=variant)
