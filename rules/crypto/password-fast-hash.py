import hashlib
import hmac
import os
from hashlib import sha512
import hashlib as hl

from argon2 import PasswordHasher
import bcrypt


def hash_password(password: str, salt: bytes) -> str:
    # ruleid: password-fast-hash
    return hashlib.sha256(salt + password.encode()).hexdigest()


def register(user, form):
    # ruleid: password-fast-hash
    user.password_hash = sha512(form["password"].encode()).hexdigest()


def store_passphrase(passphrase: bytes) -> bytes:
    # ruleid: password-fast-hash
    return hl.new("sha3_256", passphrase).digest()


def digest_pwd(pwd: str) -> str:
    digest = hashlib.blake2b()
    # ruleid: password-fast-hash
    digest.update(pwd.encode())
    return digest.hexdigest()


def keyed_password(pepper: bytes, user_password: bytes) -> str:
    # ruleid: password-fast-hash
    return hmac.new(pepper, user_password, "sha256").hexdigest()


def hash_password_safe(password: str) -> str:
    # ok: password-fast-hash
    return PasswordHasher().hash(password)


def hash_password_bcrypt(password: str) -> bytes:
    # ok: password-fast-hash
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt())


def hash_password_scrypt(password: str) -> bytes:
    salt = os.urandom(16)
    # ok: password-fast-hash
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)


def store_reset_token(password_reset_token: str) -> str:
    # a random token is hashed for lookup, not a password
    # ok: password-fast-hash
    return hashlib.sha256(password_reset_token.encode()).hexdigest()


def file_digest(data: bytes) -> str:
    # ok: password-fast-hash
    return hashlib.sha256(data).hexdigest()


from hashlib import sha512 as digest_of


def store_aliased(user, password):
    # ruleid: password-fast-hash
    user.password_hash = digest_of(password.encode()).hexdigest()
    # ok: password-fast-hash
    user.etag = digest_of(user.avatar_bytes).hexdigest()
