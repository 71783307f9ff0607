import hashlib
import os
from hashlib import pbkdf2_hmac

from Crypto.Protocol.KDF import PBKDF2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from werkzeug.security import generate_password_hash

ITERATIONS = 100_000
SAFE_ITERATIONS = 600_000


def derive(password: str, salt: bytes) -> bytes:
    # ruleid: pbkdf2-too-few-iterations
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 10000)


def derive_constant(password: str, salt: bytes) -> bytes:
    # ruleid: pbkdf2-too-few-iterations
    return pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)


def derive_sha256_300k(password: str, salt: bytes) -> bytes:
    # ruleid: pbkdf2-too-few-iterations
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations=310_000)


def derive_cryptography(password: bytes, salt: bytes) -> bytes:
    # ruleid: pbkdf2-too-few-iterations
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=100000)
    return kdf.derive(password)


def derive_pycryptodome(password: str, salt: bytes) -> bytes:
    # ruleid: pbkdf2-too-few-iterations
    return PBKDF2(password, salt, 32)


def derive_pycryptodome_count(password: str, salt: bytes) -> bytes:
    # ruleid: pbkdf2-too-few-iterations
    return PBKDF2(password, salt, dkLen=32, count=1000)


def werkzeug_hash(password: str) -> str:
    # ruleid: pbkdf2-too-few-iterations
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


def derive_safe(password: str, salt: bytes) -> bytes:
    # ok: pbkdf2-too-few-iterations
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)


def derive_constant_safe(password: str, salt: bytes) -> bytes:
    # ok: pbkdf2-too-few-iterations
    return pbkdf2_hmac("sha256", password.encode(), salt, SAFE_ITERATIONS)


def derive_sha512(password: str, salt: bytes) -> bytes:
    # ok: pbkdf2-too-few-iterations
    return hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 210000)


def derive_cryptography_safe(password: bytes, salt: bytes) -> bytes:
    # ok: pbkdf2-too-few-iterations
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=1_200_000)
    return kdf.derive(password)


def derive_pycryptodome_safe(password: str, salt: bytes) -> bytes:
    # ok: pbkdf2-too-few-iterations
    return PBKDF2(password, salt, dkLen=32, count=600000)


def werkzeug_hash_safe(password: str) -> str:
    # ok: pbkdf2-too-few-iterations
    return generate_password_hash(password, method="pbkdf2:sha256:600000")
