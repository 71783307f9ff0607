import random
import secrets
import string
from random import choice, randint

from django.contrib.auth.models import User
from django.http import JsonResponse
from flask import Flask, jsonify, make_response, request, session

app = Flask(__name__)
ALPHABET = string.ascii_letters + string.digits
rng = random.Random()


def random_string(length):
    return "".join(random.choice(ALPHABET) for _ in range(length))


def secure_string(length):
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


@app.route("/login", methods=["POST"])
def login():
    # ruleid: weak-random-secret
    session["csrf"] = "".join(random.choices(ALPHABET, k=32))
    # ok: weak-random-secret
    session["csrf2"] = secrets.token_urlsafe(32)
    return "", 204


@app.route("/remember", methods=["POST"])
def remember():
    value = random_string(40)
    resp = make_response("ok")
    # ruleid: weak-random-secret
    resp.set_cookie("remember_me", value, httponly=True)
    # ok: weak-random-secret
    resp.set_cookie("remember_me2", secure_string(40), httponly=True)
    # A display preference is not a secret.
    # ok: weak-random-secret
    resp.set_cookie("banner", str(random.randint(1, 3)))
    return resp


@app.route("/reset", methods=["POST"])
def reset_password():
    user = User.objects.get(email=request.form["email"])
    code = randint(100000, 999999)
    # ruleid: weak-random-secret
    user.reset_code_token = str(code)
    user.save()
    return "", 204


@app.route("/temp-password", methods=["POST"])
def temp_password():
    user = User.objects.get(email=request.form["email"])
    chars = [choice(ALPHABET) for _ in range(12)]
    # ruleid: weak-random-secret
    user.set_password("".join(chars))
    user.save()
    return "", 204


@app.route("/temp-password/safe", methods=["POST"])
def temp_password_safe():
    user = User.objects.get(email=request.form["email"])
    chars = [secrets.choice(ALPHABET) for _ in range(12)]
    # ok: weak-random-secret
    user.set_password("".join(chars))
    user.save()
    return "", 204


@app.route("/api-key", methods=["POST"])
def api_key():
    key = "%032x" % rng.getrandbits(128)
    # ruleid: weak-random-secret
    return jsonify(api_key=key)


@app.route("/api-key/safe", methods=["POST"])
def api_key_safe():
    key = secrets.token_hex(16)
    # ok: weak-random-secret
    return jsonify(api_key=key)


@app.route("/otp")
def otp():
    code = str(random.SystemRandom().randint(0, 999999)).zfill(6)
    # ok: weak-random-secret
    session["otp"] = code
    return "", 204


@app.route("/dice")
def dice():
    roll = random.randint(1, 6)
    # ok: weak-random-secret
    return jsonify(roll=roll)


def issue_token(request):
    token = "%06d" % random.randrange(10**6)
    # ruleid: weak-random-secret
    request.session["login_token"] = token
    # ruleid: weak-random-secret
    return JsonResponse({"token": token})


def send_reset_email(user, token):
    pass


def start_reset(user):
    reset_token = "".join(random.choices(ALPHABET, k=20))
    # ruleid: weak-random-secret
    send_reset_email(user, reset_token)


def start_reset_safe(user):
    reset_token = secrets.token_urlsafe(20)
    # ok: weak-random-secret
    send_reset_email(user, reset_token)


def new_otp(user):
    otp_code = "%06d" % random.randint(0, 999999)
    # ruleid: weak-random-secret
    user.sms(f"Your code: {otp_code}", otp_code)


def shuffle_deck():
    deck = list(range(52))
    cards = random.sample(deck, 5)
    # ok: weak-random-secret
    return cards


def audit(user):
    session_token = str(random.random())
    # ok: weak-random-secret
    print(len(session_token))
    # ruleid: weak-random-secret
    user.login(session_token)
