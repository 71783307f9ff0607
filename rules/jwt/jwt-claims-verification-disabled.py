import os

import jwt
from jwt import decode as jwt_decode
from jose import jwt as jose_jwt

SECRET_KEY = os.environ["JWT_SECRET"]


def current_user(token):
    # ruleid: jwt-claims-verification-disabled
    claims = jwt.decode(token, SECRET_KEY, algorithms=["HS256"], options={"verify_exp": False})
    return claims["sub"]


def any_audience(token):
    # ruleid: jwt-claims-verification-disabled
    return jwt_decode(
        token,
        SECRET_KEY,
        algorithms=["HS256"],
        options={"require": ["exp"], "verify_aud": False},
    )


def relaxed(token):
    relaxed_checks = {"verify_exp": False, "verify_iat": False}
    # ruleid: jwt-claims-verification-disabled
    return jwt.decode_complete(token, SECRET_KEY, algorithms=["HS256"], options=relaxed_checks)


def jose_claims(token):
    # ruleid: jwt-claims-verification-disabled
    return jose_jwt.decode(token, SECRET_KEY, algorithms=["HS256"], options={"verify_iss": False})


def current_user_safe(token):
    # ok: jwt-claims-verification-disabled
    claims = jwt.decode(token, SECRET_KEY, algorithms=["HS256"], options={"verify_exp": True})
    return claims["sub"]


def with_audience(token):
    # ok: jwt-claims-verification-disabled
    return jwt_decode(token, SECRET_KEY, algorithms=["HS256"], audience="orders-api", leeway=30)


def strict(token):
    required = {"require": ["exp", "aud", "sub"]}
    # ok: jwt-claims-verification-disabled
    return jwt.decode(token, SECRET_KEY, algorithms=["HS256"], options=required)


def jose_claims_safe(token):
    # ok: jwt-claims-verification-disabled
    return jose_jwt.decode(token, SECRET_KEY, algorithms=["HS256"], audience="orders-api")
