import os

import jwt
from jose import jwt as jose_jwt

SECRET_KEY = os.environ["JWT_SECRET"]


def current_user(token):
    # ruleid: jwt-signature-verification-disabled
    claims = jwt.decode(token, options={"verify_signature": False})
    return claims["sub"]


def current_user_legacy(token):
    # ruleid: jwt-signature-verification-disabled
    claims = jwt.decode(token, SECRET_KEY, verify=False)
    return claims["sub"]


def is_admin(token):
    # ruleid: jwt-signature-verification-disabled
    claims = jwt.decode(
        token,
        SECRET_KEY,
        algorithms=["HS256"],
        options={"verify_signature": False, "verify_exp": True},
    )
    return claims.get("role") == "admin"


def token_headers(token):
    skip_checks = {"verify_signature": False}
    # ruleid: jwt-signature-verification-disabled
    return jwt.decode_complete(token, options=skip_checks)["header"]


def jose_claims(token):
    # ruleid: jwt-signature-verification-disabled
    return jose_jwt.decode(token, SECRET_KEY, options={"verify_signature": False})


def current_user_safe(token):
    # ok: jwt-signature-verification-disabled
    claims = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])
    return claims["sub"]


def is_admin_safe(token):
    # ok: jwt-signature-verification-disabled
    claims = jwt.decode(
        token,
        SECRET_KEY,
        algorithms=["HS256"],
        options={"require": ["exp", "sub"]},
    )
    return claims.get("role") == "admin"


def key_id(token):
    # ok: jwt-signature-verification-disabled
    return jwt.get_unverified_header(token).get("kid")


def jose_claims_safe(token):
    # ok: jwt-signature-verification-disabled
    return jose_jwt.decode(token, SECRET_KEY, algorithms=["HS256"])
