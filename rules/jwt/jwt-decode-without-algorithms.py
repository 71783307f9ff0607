import os

import jwt
import jwt as pyjwt
from jwt import decode
from jose import jwt as jose_jwt

SECRET_KEY = os.environ["JWT_SECRET"]
PUBLIC_KEY = open("keys/jwt_public.pem").read()
ALGORITHMS = ["RS256"]


def current_user(token):
    # ruleid: jwt-decode-without-algorithms
    claims = jwt.decode(token, PUBLIC_KEY)
    return claims["sub"]


def current_user_keyword(token):
    # ruleid: jwt-decode-without-algorithms
    return pyjwt.decode(token, key=SECRET_KEY)["sub"]


def current_user_imported(token):
    # ruleid: jwt-decode-without-algorithms
    return decode(token, SECRET_KEY, options={"require": ["exp"]})


def jose_claims(token):
    # ruleid: jwt-decode-without-algorithms
    return jose_jwt.decode(token, SECRET_KEY)


def full_token(token):
    # ruleid: jwt-decode-without-algorithms
    return jwt.decode_complete(token, PUBLIC_KEY)["payload"]


def current_user_safe(token):
    # ok: jwt-decode-without-algorithms
    claims = jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"])
    return claims["sub"]


def current_user_constant(token):
    # ok: jwt-decode-without-algorithms
    return pyjwt.decode(token, key=PUBLIC_KEY, algorithms=ALGORITHMS)["sub"]


def current_user_positional(token):
    # ok: jwt-decode-without-algorithms
    return decode(token, SECRET_KEY, ["HS256"])


def jose_claims_safe(token):
    # ok: jwt-decode-without-algorithms
    return jose_jwt.decode(token, SECRET_KEY, algorithms=["HS256"])


def unverified_header_read(token):
    # the signature check is off: reported by jwt-signature-verification-disabled
    # ok: jwt-decode-without-algorithms
    return jwt.decode(token, options={"verify_signature": False})
