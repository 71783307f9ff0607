import bcrypt
from argon2 import PasswordHasher
from django.contrib.auth.hashers import make_password
from fastapi import FastAPI
from flask import Flask, request, session
from werkzeug.security import generate_password_hash

from .models import User, db

app = Flask(__name__)
api = FastAPI()
hasher = PasswordHasher()


@app.post("/register")
def register():
    user = User(email=request.form["email"])
    # ruleid: plaintext-password-storage
    user.password = request.form["password"]
    db.session.add(user)
    db.session.commit()
    return "ok"


@app.post("/api/register")
def api_register():
    data = request.get_json()
    # ruleid: plaintext-password-storage
    user = User(email=data["email"], password=data["password"])
    db.session.add(user)
    db.session.commit()
    return {"id": user.id}


def django_signup(request):
    # ruleid: plaintext-password-storage
    User.objects.create(username=request.POST["username"], password=request.POST["password"])


@app.post("/remember")
def remember():
    # ruleid: plaintext-password-storage
    session["password"] = request.form.get("password")
    return "ok"


@api.post("/users")
def create_user(email: str, password: str):
    # ruleid: plaintext-password-storage
    db.users.insert_one({"email": email, "password": password})


@app.post("/register-safe")
def register_safe():
    user = User(email=request.form["email"])
    # ok: plaintext-password-storage
    user.password = generate_password_hash(request.form["password"])
    db.session.add(user)
    db.session.commit()
    return "ok"


@app.post("/api/register-safe")
def api_register_safe():
    data = request.get_json()
    # ok: plaintext-password-storage
    user = User(email=data["email"], password=hasher.hash(data["password"]))
    db.session.add(user)
    db.session.commit()
    return {"id": user.id}


def django_signup_safe(request):
    # ok: plaintext-password-storage
    User.objects.create(username=request.POST["username"], password=make_password(request.POST["password"]))


@api.post("/users-safe")
def create_user_safe(email: str, password: str):
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
    # ok: plaintext-password-storage
    db.users.insert_one({"email": email, "password": hashed})


@app.post("/profile")
def profile():
    user = User.query.get(session["user_id"])
    # ok: plaintext-password-storage
    user.display_name = request.form["display_name"]
    db.session.commit()
    return "ok"


@app.post("/signup")
def signup(cursor):
    username = request.form["username"]
    password = request.form["password"]
    cursor.execute(
        "INSERT INTO users (username, password) VALUES (?, ?)",
        # ruleid: plaintext-password-storage
        (username, password),
    )


@app.post("/signup-safe")
def signup_safe(cursor):
    username = request.form["username"]
    password = generate_password_hash(request.form["password"])
    cursor.execute(
        "INSERT INTO users (username, password) VALUES (?, ?)",
        # ok: plaintext-password-storage
        (username, password),
    )


def django_form_signup(form):
    user = User(username=form.cleaned_data["username"])
    # ruleid: plaintext-password-storage
    user.password = form.cleaned_data["password"]
    user.save()


def django_form_signup_safe(form):
    user = User(username=form.cleaned_data["username"])
    # ok: plaintext-password-storage
    user.set_password(form.cleaned_data["password"])
    user.save()


USERS = {}


@app.post("/register-memory")
def register_memory():
    username = request.form["username"]
    password = request.form["password"]
    # ruleid: plaintext-password-storage
    USERS[username] = password
    return "ok"


@app.post("/register-memory-safe")
def register_memory_safe():
    username = request.form["username"]
    password = generate_password_hash(request.form["password"])
    # ok: plaintext-password-storage
    USERS[username] = password
    return "ok"
