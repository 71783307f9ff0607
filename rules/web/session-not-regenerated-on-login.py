from django.contrib.auth import authenticate, login as auth_login
from flask import Flask, redirect, request, session
from flask_login import login_user

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    user = find_user(request.form["email"], request.form["password"])
    if user is None:
        return redirect("/login")
    # ruleid: session-not-regenerated-on-login
    session["user_id"] = user.id
    return redirect("/")


@app.route("/login/v2", methods=["POST"])
def login_v2():
    user = find_user(request.form["email"], request.form["password"])
    session.clear()
    # ok: session-not-regenerated-on-login
    session["user_id"] = user.id
    return redirect("/")


@app.post("/signin")
def signin():
    user = find_user(request.form["email"], request.form["password"])
    # ruleid: session-not-regenerated-on-login
    login_user(user, remember=True)
    return redirect("/")


@app.post("/signin/v2")
def signin_v2():
    user = find_user(request.form["email"], request.form["password"])
    session.clear()
    # ok: session-not-regenerated-on-login
    login_user(user)
    return redirect("/")


def django_login(request):
    user = authenticate(request, username=request.POST["u"], password=request.POST["p"])
    # ruleid: session-not-regenerated-on-login
    request.session["uid"] = user.pk
    return redirect("/")


def django_login_cycled(request):
    user = authenticate(request, username=request.POST["u"], password=request.POST["p"])
    request.session.cycle_key()
    # ok: session-not-regenerated-on-login
    request.session["uid"] = user.pk
    return redirect("/")


def login_view(request):
    user = authenticate(request, username=request.POST["u"], password=request.POST["p"])
    auth_login(request, user)
    # ok: session-not-regenerated-on-login
    request.session["theme"] = "dark"
    return redirect("/")


@app.post("/cart")
def add_to_cart():
    # ok: session-not-regenerated-on-login
    session["cart"] = request.form["item"]
    return "ok"


def find_user(email, password):
    return None
