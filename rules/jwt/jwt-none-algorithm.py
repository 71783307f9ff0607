import os

import jwt

SECRET_KEY = os.environ["JWT_SECRET"]
PUBLIC_KEY = open("keys/jwt_public.pem").read()


def issue_token(user_id):
    # ruleid: jwt-none-algorithm
    return jwt.encode({"sub": user_id}, None, algorithm="none")


def issue_debug_token(user_id):
    # ruleid: jwt-none-algorithm
    return jwt.encode({"sub": user_id, "debug": True}, "", "NONE")


def issue_unsigned(claims):
    # ruleid: jwt-none-algorithm
    return jwt.encode(claims, key=None, algorithm=None)


def read_token(token):
    # ruleid: jwt-none-algorithm
    return jwt.decode(token, PUBLIC_KEY, algorithms=["RS256", "none"])


def read_legacy_token(token):
    # ruleid: jwt-none-algorithm
    return jwt.decode(
        token,
        SECRET_KEY,
        algorithms=['None'],
    )


def issue_token_safe(user_id):
    # ok: jwt-none-algorithm
    return jwt.encode({"sub": user_id}, SECRET_KEY, algorithm="HS256")


def read_token_safe(token):
    # ok: jwt-none-algorithm
    return jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"])


def read_legacy_token_safe(token):
    # ok: jwt-none-algorithm
    return jwt.decode(token, SECRET_KEY, algorithms=["HS256", "HS384"])


def issue_token_default(user_id):
    # ok: jwt-none-algorithm
    return jwt.encode({"sub": user_id}, SECRET_KEY)
