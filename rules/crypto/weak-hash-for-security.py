import hashlib
from hashlib import sha1

from Crypto.Hash import MD5, SHA256
from cryptography.hazmat.primitives import hashes
from Cryptodome.Hash import SHA1 as DomeSHA1


def hash_password(password: str) -> str:
    # ruleid: weak-hash-for-security
    return hashlib.md5(password.encode()).hexdigest()


def sign_payload(secret: bytes, payload: bytes) -> str:
    # ruleid: weak-hash-for-security
    return sha1(secret + payload).hexdigest()


def api_key_digest(api_key: str) -> str:
    # ruleid: weak-hash-for-security
    h = hashlib.new("MD5")
    h.update(api_key.encode())
    return h.hexdigest()


def legacy_token(user_id: int) -> str:
    # ruleid: weak-hash-for-security
    return hashlib.new('sha1', str(user_id).encode()).hexdigest()


def legacy_named(data: bytes) -> bytes:
    # ruleid: weak-hash-for-security
    return hashlib.new(name="md4", data=data).digest()


def pycrypto_digest(message: bytes) -> bytes:
    # ruleid: weak-hash-for-security
    return MD5.new(message).digest()


def pycryptodome_digest(message: bytes) -> bytes:
    # ruleid: weak-hash-for-security
    return DomeSHA1.new(message).digest()


def certificate_fingerprint(der: bytes) -> bytes:
    # ruleid: weak-hash-for-security
    digest = hashes.Hash(hashes.SHA1())
    digest.update(der)
    return digest.finalize()


def hash_password_safe(password: str, salt: bytes) -> bytes:
    # ok: weak-hash-for-security
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)


def sign_payload_safe(payload: bytes) -> str:
    # ok: weak-hash-for-security
    return hashlib.sha256(payload).hexdigest()


def cache_key(url: str) -> str:
    # ok: weak-hash-for-security
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def etag(body: bytes) -> str:
    # ok: weak-hash-for-security
    return hashlib.new("sha1", body, usedforsecurity=False).hexdigest()


def modern_named(data: bytes) -> bytes:
    # ok: weak-hash-for-security
    return hashlib.new("sha256", data).digest()


def truncated_digest(data: bytes) -> bytes:
    # ok: weak-hash-for-security
    return hashlib.new("sha512_256", data).digest()


def pycrypto_digest_safe(message: bytes) -> bytes:
    # ok: weak-hash-for-security
    return SHA256.new(message).digest()


def certificate_fingerprint_safe(der: bytes) -> bytes:
    # ok: weak-hash-for-security
    digest = hashes.Hash(hashes.SHA256())
    digest.update(der)
    return digest.finalize()
