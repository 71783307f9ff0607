import os
from datetime import datetime, timedelta, timezone

import jwt
import jwt as pyjwt
from jwt import encode
from jose import jwt as jose_jwt

SECRET_KEY = os.environ["JWT_SECRET"]


def issue_token(user_id):
    # ruleid: jwt-encode-without-expiry
    return jwt.encode({"sub": str(user_id)}, SECRET_KEY, algorithm="HS256")


def issue_token_payload(user):
    payload = {"sub": str(user.id), "role": user.role}
    # ruleid: jwt-encode-without-expiry
    return pyjwt.encode(payload, SECRET_KEY, algorithm="HS256")


def issue_imported(user_id):
    # ruleid: jwt-encode-without-expiry
    return encode({"user_id": user_id, "iat": datetime.now(timezone.utc)}, SECRET_KEY)


def issue_jose(user_id):
    # ruleid: jwt-encode-without-expiry
    return jose_jwt.encode({"sub": user_id}, SECRET_KEY, algorithm="HS256")


def issue_token_safe(user_id):
    # ok: jwt-encode-without-expiry
    return jwt.encode(
        {"sub": str(user_id), "exp": datetime.now(timezone.utc) + timedelta(minutes=15)},
        SECRET_KEY,
        algorithm="HS256",
    )


def issue_token_payload_safe(user):
    payload = {"sub": str(user.id), "exp": datetime.now(timezone.utc) + timedelta(hours=1)}
    # ok: jwt-encode-without-expiry
    return pyjwt.encode(payload, SECRET_KEY, algorithm="HS256")


def issue_token_added_later(user):
    payload = {"sub": str(user.id)}
    payload["exp"] = datetime.now(timezone.utc) + timedelta(minutes=5)
    # ok: jwt-encode-without-expiry
    return encode(payload, SECRET_KEY, algorithm="HS256")


def issue_from_claims(claims):
    # the payload comes from elsewhere: not reported
    # ok: jwt-encode-without-expiry
    return jwt.encode(claims, SECRET_KEY, algorithm="HS256")


def issue_jose_safe(user_id, expires):
    # ok: jwt-encode-without-expiry
    return jose_jwt.encode({"sub": user_id, "exp": expires}, SECRET_KEY, algorithm="HS256")


def issue_dict(user_id):
    # ruleid: jwt-encode-without-expiry
    return jwt.encode(dict(sub=user_id, role="user"), SECRET_KEY, algorithm="HS256")


def issue_dict_safe(user_id, expires):
    # ok: jwt-encode-without-expiry
    return jwt.encode(dict(sub=user_id, exp=expires), SECRET_KEY, algorithm="HS256")


def issue_from_base(user_id):
    base = {"iss": "shop", "exp": datetime.now(timezone.utc) + timedelta(minutes=15)}
    # ok: jwt-encode-without-expiry
    return jwt.encode({**base, "sub": user_id}, SECRET_KEY, algorithm="HS256")


def signed_blob(data):
    # a signed document, not an access token: no user, client or role in it
    # ok: jwt-encode-without-expiry
    return jwt.encode({"report": data, "version": 2}, SECRET_KEY, algorithm="HS256")
