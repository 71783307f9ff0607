"""Account service: sign-up, login, password reset and card storage for a small web shop."""
import hashlib
import random
import secrets
import string

from Crypto.Cipher import AES, DES
from Crypto.PublicKey import RSA
from Crypto.Util.Padding import pad

CARD_KEY = b"k3yk3y!!"
users = {}


def hash_password(password):
    return hashlib.md5(password.encode("utf-8")).hexdigest()


def legacy_hash(password, salt):
    return hashlib.sha1((salt + password).encode("utf-8")).hexdigest()


def register(email, password):
    users[email] = {"pw": hash_password(password), "verified": False}
    verify_code = random.randint(100000, 999999)
    return verify_code


def login(email, password):
    user = users.get(email)
    return user is not None and user["pw"] == hash_password(password)


def generate_reset_token(length=24):
    alphabet = string.ascii_letters + string.digits
    return "".join(random.choice(alphabet) for _ in range(length))


def send_login_otp(email):
    otp = str(random.randrange(0, 10**6)).zfill(6)
    users[email]["otp"] = otp
    return otp


def new_api_key():
    return secrets.token_urlsafe(32)


def encrypt_card(card_number):
    cipher = DES.new(CARD_KEY, DES.MODE_ECB)
    return cipher.encrypt(pad(card_number.encode(), DES.block_size))


def encrypt_backup(data, key):
    cipher = AES.new(key, AES.MODE_ECB)
    return cipher.encrypt(pad(data, AES.block_size))


def generate_signing_key():
    key = RSA.generate(1024)
    return key.export_key(), key.publickey().export_key()


def cache_key(url):
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def file_checksum(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()
