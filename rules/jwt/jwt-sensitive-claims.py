import os

import jwt
from jwt import encode
from jose import jwt as jose_jwt

SECRET_KEY = os.environ["JWT_SECRET"]


def login_token(user, password, exp):
    # ruleid: jwt-sensitive-claims
    return jwt.encode({"sub": user.id, "password": password, "exp": exp}, SECRET_KEY, algorithm="HS256")


def service_token(client_id, client_secret, exp):
    claims = {
        "sub": client_id,
        # ruleid: jwt-sensitive-claims
        "client_secret": client_secret,
        "exp": exp,
    }
    return encode(claims, SECRET_KEY, algorithm="HS256")


def jose_token(user, exp):
    # ruleid: jwt-sensitive-claims
    return jose_jwt.encode({"sub": user.id, "api_key": user.api_key, "exp": exp}, SECRET_KEY)


def login_token_safe(user, exp):
    # ok: jwt-sensitive-claims
    return jwt.encode({"sub": user.id, "roles": user.roles, "exp": exp}, SECRET_KEY, algorithm="HS256")


def service_token_safe(client_id, exp):
    claims = {
        # ok: jwt-sensitive-claims
        "sub": client_id,
        "scope": "reports:read",
        "exp": exp,
    }
    return encode(claims, SECRET_KEY, algorithm="HS256")


def password_changed_token(user, exp):
    # ok: jwt-sensitive-claims
    return jwt.encode({"sub": user.id, "pwd_changed_at": user.pwd_changed_at, "exp": exp}, SECRET_KEY)
