import os

import jwt
import jwt as pyjwt
from flask import Flask
from jwt import decode
from jose import jwt as jose_jwt

app = Flask(__name__)

JWT_KEY = "change-me-please-7f3a9"
JWT_KEY_SAFE = os.environ["JWT_SECRET"]


def issue(user_id, exp):
    # ruleid: jwt-hardcoded-secret
    return jwt.encode({"sub": user_id, "exp": exp}, "super-secret", algorithm="HS256")


def issue_constant(user_id, exp):
    # ruleid: jwt-hardcoded-secret
    return pyjwt.encode({"sub": user_id, "exp": exp}, JWT_KEY, algorithm="HS256")


def verify(token):
    # ruleid: jwt-hardcoded-secret
    return decode(token, key=b"bytes-secret-key", algorithms=["HS256"])


def verify_jose(token):
    # ruleid: jwt-hardcoded-secret
    return jose_jwt.decode(token, "jose-secret", algorithms=["HS256"])


# ruleid: jwt-hardcoded-secret
app.config["JWT_SECRET_KEY"] = "flask-jwt-extended-secret"


def issue_safe(user_id, exp):
    # ok: jwt-hardcoded-secret
    return jwt.encode({"sub": user_id, "exp": exp}, JWT_KEY_SAFE, algorithm="HS256")


def verify_safe(token):
    # ok: jwt-hardcoded-secret
    return decode(token, key=os.environ["JWT_SECRET"], algorithms=["HS256"])


def verify_jose_safe(token, key):
    # ok: jwt-hardcoded-secret
    return jose_jwt.decode(token, key, algorithms=["HS256"])


# ok: jwt-hardcoded-secret
app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
