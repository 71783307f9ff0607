from django.contrib.auth.hashers import make_password
from passlib.context import CryptContext
from passlib.hash import md5_crypt, argon2 as passlib_argon2
import werkzeug.security as ws
from werkzeug.security import generate_password_hash

PLAIN = "plain"


def set_password(user, password):
    # ruleid: weak-password-hash-method
    user.password_hash = generate_password_hash(password, method="plain")


def set_password_md5(user, password):
    # ruleid: weak-password-hash-method
    user.password_hash = ws.generate_password_hash(password, "md5")


def set_password_constant(user, password):
    # ruleid: weak-password-hash-method
    user.password_hash = generate_password_hash(password, method=PLAIN)


def django_password(raw):
    # ruleid: weak-password-hash-method
    return make_password(raw, hasher="unsalted_md5")


def passlib_md5(raw):
    # ruleid: weak-password-hash-method
    return md5_crypt.hash(raw)


# ruleid: weak-password-hash-method
legacy_context = CryptContext(schemes=["hex_sha256", "bcrypt"], deprecated="auto")


def set_password_safe(user, password):
    # ok: weak-password-hash-method
    user.password_hash = generate_password_hash(password)


def set_password_scrypt(user, password):
    # ok: weak-password-hash-method
    user.password_hash = ws.generate_password_hash(password, method="scrypt")


def django_password_safe(raw):
    # ok: weak-password-hash-method
    return make_password(raw)


def passlib_argon(raw):
    # ok: weak-password-hash-method
    return passlib_argon2.hash(raw)


# ok: weak-password-hash-method
modern_context = CryptContext(schemes=["argon2", "bcrypt", "md5_crypt"], deprecated="auto")
